{{- /*
The controller: ServiceAccount, ClusterRole and ClusterRoleBinding <fullname>-controller, and the
Deployment <fullname>-controller whose container spark-operator-controller runs the stand-in's
controller: it adds and removes the SparkApplication finalizer like the real one, and reconciles
nothing else (SparkApplications stay without status).
*/ -}}
{{- $name := include "spark-operator.controller.name" . -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "spark-operator.labels" . | nindent 4 }}
    app.kubernetes.io/component: controller
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ $name }}
  labels:
    {{- include "spark-operator.labels" . | nindent 4 }}
    app.kubernetes.io/component: controller
rules:
  # What a controller of Spark applications needs; the stand-in lists and patches SparkApplications.
  - apiGroups: [""]
    resources: [pods, configmaps, services]
    verbs: [get, list, watch, create, update, patch, delete]
  - apiGroups: [""]
    resources: [events]
    verbs: [create, update, patch]
  - apiGroups: [sparkoperator.k8s.io]
    resources: [sparkapplications, scheduledsparkapplications]
    verbs: [get, list, watch, create, update, patch, delete]
  - apiGroups: [sparkoperator.k8s.io]
    resources: [sparkapplications/status, sparkapplications/finalizers]
    verbs: [update, patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ $name }}
  labels:
    {{- include "spark-operator.labels" . | nindent 4 }}
    app.kubernetes.io/component: controller
subjects:
  - kind: ServiceAccount
    name: {{ $name }}
    namespace: {{ .Release.Namespace }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $name }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "spark-operator.labels" . | nindent 4 }}
    app.kubernetes.io/component: controller
spec:
  replicas: {{ .Values.controller.replicas }}
  selector:
    matchLabels:
      {{- include "spark-operator.selectorLabels" . | nindent 6 }}
      app.kubernetes.io/component: controller
  template:
    metadata:
      labels:
        {{- include "spark-operator.selectorLabels" . | nindent 8 }}
        app.kubernetes.io/component: controller
    spec:
      serviceAccountName: {{ $name }}
      terminationGracePeriodSeconds: 5
      containers:
        - name: spark-operator-controller
          image: {{ include "spark-operator.image" . }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          args:
            - controller
            - start
            - {{ printf "--namespaces=%s" (join "," (.Values.spark.jobNamespaces | default list)) | quote }}
          env:
            - name: SPARK_OPERATOR_STANDIN_API_SERVER
              value: {{ .Values.standin.apiServer | quote }}
          {{- with .Values.controller.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- include "spark-operator.standin.readinessProbe" . | nindent 10 }}
