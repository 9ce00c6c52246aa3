{{- /*
spark-operator STAND-IN chart (tests only). Names follow the kubeflow spark-operator 2.5.2 chart:
fullnameOverride wins, else the release name when it holds the chart name (nameOverride if set),
else <release>-<name>. Templates end in .tpl because the collection's sanity tier runs yamllint on
every .yaml file; helm renders every file in templates/ whatever its extension.
*/ -}}

{{- define "spark-operator.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "spark-operator.fullname" -}}
{{- $name := include "spark-operator.name" . -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "spark-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "spark-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "spark-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "spark-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- /* registry/repository:tag like the real chart; the stand-in also allows an empty registry. */ -}}
{{- define "spark-operator.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- if .Values.image.registry -}}
{{- printf "%s/%s:%s" .Values.image.registry .Values.image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "spark-operator.controller.name" -}}
{{- include "spark-operator.fullname" . }}-controller
{{- end -}}

{{- define "spark-operator.webhook.name" -}}
{{- include "spark-operator.fullname" . }}-webhook
{{- end -}}

{{- /* The Spark pods' service account: <fullname>-spark unless spark.serviceAccount.name is set. */ -}}
{{- define "spark-operator.spark.serviceAccountName" -}}
{{- if .Values.spark.serviceAccount.create -}}
{{- .Values.spark.serviceAccount.name | default (printf "%s-spark" (include "spark-operator.fullname" .)) -}}
{{- else -}}
{{- .Values.spark.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{- /* The placeholder is ready once started; probes every 2 s keep the tests fast. */ -}}
{{- define "spark-operator.standin.readinessProbe" -}}
readinessProbe:
  exec:
    command: ["spark-operator-standin-ready"]
  initialDelaySeconds: 0
  periodSeconds: 2
  failureThreshold: 1
{{- end -}}
