{{- /*
DaemonSet <fullname>-worker: containers alluxio-worker and alluxio-job-worker on the nodes chosen by
worker.nodeSelector (else nodeSelector), as in Alluxio's 2.9 chart. The domain socket volume
alluxio-domain is mounted at /opt/domain only with shortCircuit enabled and policy uuid.
*/ -}}
{{- $fullName := include "alluxio.fullname" . -}}
{{- $domainSocket := and .Values.shortCircuit.enabled (eq .Values.shortCircuit.policy "uuid") -}}
{{- $nodeSelector := .Values.worker.nodeSelector | default .Values.nodeSelector -}}
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ $fullName }}-worker
  labels:
    {{- include "alluxio.labels" . | nindent 4 }}
    role: alluxio-worker
spec:
  selector:
    matchLabels:
      app: {{ include "alluxio.name" . }}
      release: {{ .Release.Name }}
      role: alluxio-worker
  template:
    metadata:
      labels:
        {{- include "alluxio.labels" . | nindent 8 }}
        role: alluxio-worker
    spec:
      {{- with $nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      # The stand-in removes its registration and quits on TERM at once.
      terminationGracePeriodSeconds: 5
      containers:
        {{- range $container := list (dict "name" "alluxio-worker" "args" (list "worker-only" "--no-format") "resources" $.Values.worker.resources "ports" (list (list "rpc" 29999) (list "web" 30000)))
                                    (dict "name" "alluxio-job-worker" "args" (list "job-worker") "resources" $.Values.jobWorker.resources "ports" (list (list "job-rpc" 30001) (list "job-data" 30002) (list "job-web" 30003)))
        }}
        - name: {{ $container.name }}
          image: {{ include "alluxio.image" $ }}
          imagePullPolicy: {{ $.Values.imagePullPolicy }}
          command: ["/entrypoint.sh"]
          args: {{ toJson $container.args }}
          {{- with $container.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          env:
            - name: ALLUXIO_WORKER_HOSTNAME
              valueFrom:
                fieldRef:
                  fieldPath: status.hostIP
            - name: ALLUXIO_WORKER_CONTAINER_HOSTNAME
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
          envFrom:
            - configMapRef:
                name: {{ $fullName }}-config
          {{- include "alluxio.standin.readinessProbe" $ | nindent 10 }}
          ports:
            {{- range $container.ports }}
            - name: {{ index . 0 }}
              containerPort: {{ index . 1 }}
            {{- end }}
          volumeMounts:
            {{- if $domainSocket }}
            - name: alluxio-domain
              mountPath: /opt/domain
            {{- end }}
            {{- range $.Values.tieredstore.levels }}
            - name: {{ .mediumtype | replace "," "-" | lower }}
              mountPath: {{ .path }}
            {{- end }}
            {{- include "alluxio.standin.stateMount" $ | nindent 12 }}
        {{- end }}
      volumes:
        {{- if $domainSocket }}
        - name: alluxio-domain
          {{- if eq .Values.shortCircuit.volumeType "hostPath" }}
          hostPath:
            path: {{ .Values.shortCircuit.hostPath }}
            type: DirectoryOrCreate
          {{- else }}
          # The real chart claims the PVC shortCircuit.pvcName; the lab has no storage class.
          emptyDir: {}
          {{- end }}
        {{- end }}
        {{- range .Values.tieredstore.levels }}
        - name: {{ .mediumtype | replace "," "-" | lower }}
          {{- if eq .type "hostPath" }}
          hostPath:
            path: {{ .path }}
            type: DirectoryOrCreate
          {{- else }}
          # emptyDir in memory, as the real chart; persistentVolumeClaim levels become one too.
          emptyDir:
            medium: Memory
          {{- end }}
        {{- end }}
        {{- include "alluxio.standin.stateVolume" . | nindent 8 }}
