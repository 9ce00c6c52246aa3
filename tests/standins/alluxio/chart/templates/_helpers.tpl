{{- /*
Alluxio STAND-IN chart (tests only). Names follow Alluxio's 2.9 chart: fullnameOverride wins,
else the release name when it holds the chart name, else <release>-<chart>.
Templates end in .tpl, not .yaml: the collection's sanity tier runs yamllint on every .yaml file,
and a Go template is not YAML. Helm renders every file in templates/ whatever its extension.
*/ -}}

{{- define "alluxio.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "alluxio.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "alluxio.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- /* The labels every object of the real chart carries. */ -}}
{{- define "alluxio.labels" -}}
app: {{ include "alluxio.name" . }}
chart: {{ include "alluxio.chart" . }}
release: {{ .Release.Name }}
heritage: {{ .Release.Service }}
{{- end -}}

{{- define "alluxio.image" -}}
{{ .Values.image }}:{{ .Values.imageTag }}
{{- end -}}

{{- /* Both pods run the stand-in's readiness check; 2 s periods keep the tests fast. */ -}}
{{- define "alluxio.standin.readinessProbe" -}}
readinessProbe:
  exec:
    command: ["alluxio-standin-ready"]
  initialDelaySeconds: 0
  periodSeconds: 2
  timeoutSeconds: 2
  successThreshold: 1
  failureThreshold: 1
{{- end -}}

{{- /* The state directory shared by the release's pods, per namespace so releases never mix. */ -}}
{{- define "alluxio.standin.stateVolume" -}}
- name: alluxio-standin-state
  hostPath:
    path: {{ printf "%s/%s" (.Values.standin.stateHostPath | trimSuffix "/") .Release.Namespace }}
    type: DirectoryOrCreate
{{- end -}}

{{- define "alluxio.standin.stateMount" -}}
- name: alluxio-standin-state
  mountPath: /standin-state
{{- end -}}

{{- /* A list of Java options as the real chart prints them: each followed by one space. */ -}}
{{- define "alluxio.standin.joinOpts" -}}
{{- range . }}{{ . }} {{ end -}}
{{- end -}}
