{{- /*
For each namespace in spark.jobNamespaces: the Spark pods' ServiceAccount, and the Role and
RoleBinding of the same name with the real chart's rules (Spark drivers create their executors).
Empty entries are skipped, as in the real chart.
*/ -}}
{{- $serviceAccount := include "spark-operator.spark.serviceAccountName" . -}}
{{- range $namespace := .Values.spark.jobNamespaces | default list }}
{{- if $namespace }}
{{- if $.Values.spark.serviceAccount.create }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $serviceAccount }}
  namespace: {{ $namespace }}
  labels:
    {{- include "spark-operator.labels" $ | nindent 4 }}
{{- end }}
{{- if $.Values.spark.rbac.create }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $serviceAccount }}
  namespace: {{ $namespace }}
  labels:
    {{- include "spark-operator.labels" $ | nindent 4 }}
rules:
  - apiGroups: [""]
    resources: [pods, configmaps, persistentvolumeclaims, services]
    verbs: [get, list, watch, create, update, patch, delete, deletecollection]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $serviceAccount }}
  namespace: {{ $namespace }}
  labels:
    {{- include "spark-operator.labels" $ | nindent 4 }}
subjects:
  - kind: ServiceAccount
    name: {{ $serviceAccount }}
    namespace: {{ $namespace }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $serviceAccount }}
{{- end }}
{{- end }}
{{- end }}
