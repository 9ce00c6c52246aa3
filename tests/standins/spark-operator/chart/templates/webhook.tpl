{{- /*
With webhook.enable: the Deployment <fullname>-webhook and the Service <fullname>-webhook-svc, named
as in the real chart. No Mutating/ValidatingWebhookConfiguration: the placeholder cannot answer
admission requests, and a registered webhook (failurePolicy Fail) would block every Spark pod.
*/ -}}
{{- if .Values.webhook.enable }}
{{- $name := include "spark-operator.webhook.name" . -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "spark-operator.labels" . | nindent 4 }}
    app.kubernetes.io/component: webhook
spec:
  replicas: 1
  selector:
    matchLabels:
      {{- include "spark-operator.selectorLabels" . | nindent 6 }}
      app.kubernetes.io/component: webhook
  template:
    metadata:
      labels:
        {{- include "spark-operator.selectorLabels" . | nindent 8 }}
        app.kubernetes.io/component: webhook
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: spark-operator-webhook
          image: {{ include "spark-operator.image" . }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          args: [webhook, start, --webhook-port=9443]
          ports:
            - name: webhook
              containerPort: 9443
          {{- with .Values.controller.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- include "spark-operator.standin.readinessProbe" . | nindent 10 }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}-svc
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "spark-operator.labels" . | nindent 4 }}
    app.kubernetes.io/component: webhook
spec:
  selector:
    {{- include "spark-operator.selectorLabels" . | nindent 4 }}
    app.kubernetes.io/component: webhook
  ports:
    - name: webhook
      port: 9443
      targetPort: webhook
{{- end }}
