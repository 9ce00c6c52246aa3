{{- /*
ConfigMap <fullname>-config: the Java options of each component, one line each with a space after
every option, built the way Alluxio's 2.9 chart builds them (same options, same order).
Like the real chart it is a pre-install hook: `helm upgrade` does not change it, and
`helm uninstall` leaves it behind (the next install replaces it).
*/ -}}
{{- $fullName := include "alluxio.fullname" . -}}

{{- $common := list (printf "-Dalluxio.master.hostname=%s-master-0" $fullName) -}}
{{- $common = append $common (printf "-Dalluxio.master.journal.type=%v" .Values.journal.type) -}}
{{- $common = append $common (printf "-Dalluxio.master.journal.folder=%v" .Values.journal.folder) -}}
{{- range $key, $value := .Values.properties -}}
{{- $common = append $common (printf "-D%v=%v" $key $value) -}}
{{- end -}}

{{- $master := list "-Dalluxio.master.hostname=${ALLUXIO_MASTER_HOSTNAME}" -}}

{{- $worker := list "-Dalluxio.worker.hostname=${ALLUXIO_WORKER_HOSTNAME}" "-Dalluxio.worker.rpc.port=29999" "-Dalluxio.worker.web.port=30000" -}}
{{- if not .Values.shortCircuit.enabled -}}
{{- $worker = append $worker "-Dalluxio.user.short.circuit.enabled=false" -}}
{{- else if eq .Values.shortCircuit.policy "uuid" -}}
{{- $worker = append $worker "-Dalluxio.worker.data.server.domain.socket.address=/opt/domain" -}}
{{- $worker = append $worker "-Dalluxio.worker.data.server.domain.socket.as.uuid=true" -}}
{{- end -}}
{{- $worker = append $worker "-Dalluxio.worker.container.hostname=${ALLUXIO_WORKER_CONTAINER_HOSTNAME}" -}}
{{- with .Values.worker.resources -}}
{{- with .requests -}}
{{- with .memory -}}
{{- $worker = append $worker (printf "-Dalluxio.worker.memory.size=%v" .) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- with .Values.tieredstore.levels -}}
{{- $worker = append $worker (printf "-Dalluxio.worker.tieredstore.levels=%d" (len .)) -}}
{{- range . -}}
{{- $tier := printf "-Dalluxio.worker.tieredstore.level%v" .level -}}
{{- if .alias -}}{{- $worker = append $worker (printf "%s.alias=%v" $tier .alias) -}}{{- end -}}
{{- $worker = append $worker (printf "%s.dirs.mediumtype=%v" $tier .mediumtype) -}}
{{- if .path -}}{{- $worker = append $worker (printf "%s.dirs.path=%v" $tier .path) -}}{{- end -}}
{{- if .quota -}}{{- $worker = append $worker (printf "%s.dirs.quota=%v" $tier .quota) -}}{{- end -}}
{{- if .high -}}{{- $worker = append $worker (printf "%s.watermark.high.ratio=%v" $tier .high) -}}{{- end -}}
{{- if .low -}}{{- $worker = append $worker (printf "%s.watermark.low.ratio=%v" $tier .low) -}}{{- end -}}
{{- end -}}
{{- end -}}

{{- $jobWorker := list "-Dalluxio.worker.hostname=${ALLUXIO_WORKER_HOSTNAME}" "-Dalluxio.job.worker.rpc.port=30001" "-Dalluxio.job.worker.data.port=30002" "-Dalluxio.job.worker.web.port=30003" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $fullName }}-config
  annotations:
    "helm.sh/hook": pre-install
    "helm.sh/hook-delete-policy": before-hook-creation
  labels:
    name: {{ $fullName }}-config
    {{- include "alluxio.labels" . | nindent 4 }}
data:
  ALLUXIO_JAVA_OPTS: {{ include "alluxio.standin.joinOpts" $common | quote }}
  ALLUXIO_MASTER_JAVA_OPTS: {{ include "alluxio.standin.joinOpts" $master | quote }}
  ALLUXIO_JOB_MASTER_JAVA_OPTS: {{ include "alluxio.standin.joinOpts" $master | quote }}
  ALLUXIO_WORKER_JAVA_OPTS: {{ include "alluxio.standin.joinOpts" $worker | quote }}
  ALLUXIO_JOB_WORKER_JAVA_OPTS: {{ include "alluxio.standin.joinOpts" $jobWorker | quote }}
