{{- /* Service <fullname>-master-0: headless, one per master, as in Alluxio's 2.9 chart. */ -}}
{{- $fullName := include "alluxio.fullname" . -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ $fullName }}-master-0
  labels:
    {{- include "alluxio.labels" . | nindent 4 }}
    role: alluxio-master
spec:
  clusterIP: None
  ports:
    - name: rpc
      port: 19998
    - name: web
      port: 19999
    - name: job-rpc
      port: 20001
    - name: job-web
      port: 20002
    - name: embedded
      port: 19200
  selector:
    role: alluxio-master
    app: {{ include "alluxio.name" . }}
    release: {{ .Release.Name }}
    statefulset.kubernetes.io/pod-name: {{ $fullName }}-master-0
