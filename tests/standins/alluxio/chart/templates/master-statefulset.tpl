{{- /*
StatefulSet <fullname>-master: one master pod <fullname>-master-0 with the containers
alluxio-master and alluxio-job-master, as in Alluxio's 2.9 chart (single master, UFS journal).
*/ -}}
{{- $fullName := include "alluxio.fullname" . -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ $fullName }}-master
  labels:
    name: {{ $fullName }}-master
    {{- include "alluxio.labels" . | nindent 4 }}
    role: alluxio-master
spec:
  selector:
    matchLabels:
      app: {{ include "alluxio.name" . }}
      role: alluxio-master
      name: {{ $fullName }}-master
  serviceName: {{ $fullName }}-master
  replicas: 1
  podManagementPolicy: Parallel
  template:
    metadata:
      labels:
        name: {{ $fullName }}-master
        {{- include "alluxio.labels" . | nindent 8 }}
        role: alluxio-master
    spec:
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      # The stand-in quits on TERM at once; no need for the default 30 s.
      terminationGracePeriodSeconds: 5
      containers:
        {{- range $container := list (dict "name" "alluxio-master" "args" (list "master-only" "--no-format") "resources" $.Values.master.resources "ports" (list (list "rpc" 19998) (list "web" 19999)))
                                    (dict "name" "alluxio-job-master" "args" (list "job-master") "resources" $.Values.jobMaster.resources "ports" (list (list "job-rpc" 20001) (list "job-web" 20002)))
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
            - name: ALLUXIO_MASTER_HOSTNAME
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
            {{- if eq $container.name "alluxio-master" }}
            - name: alluxio-journal
              mountPath: {{ $.Values.journal.folder }}
            {{- end }}
            {{- include "alluxio.standin.stateMount" $ | nindent 12 }}
        {{- end }}
      volumes:
        # journal.volumeType persistentVolumeClaim is mounted as an emptyDir too: the stand-in
        # writes no journal, and the lab has no storage class.
        - name: alluxio-journal
          emptyDir: {}
        {{- include "alluxio.standin.stateVolume" . | nindent 8 }}
