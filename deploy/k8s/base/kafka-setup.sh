#!/usr/bin/env bash
# Prepares a Kafka cluster for MASPO, as its admin: the topics and their .dlq twins, one SCRAM user per
# service and that service's ACLs. Idempotent: run it again after a change. The grants are those of the local
# broker (deploy/local-infra/.../KafkaAccess.java): keep the two in step. Used by the compose file and the
# Kubernetes Job (deploy/k8s/base/kafka-setup-job.yaml); see docs/operations.md, "Kafka security".
#
# Env: KAFKA_BOOTSTRAP_SERVERS; KAFKA_ADMIN_USERNAME, KAFKA_ADMIN_PASSWORD (a user allowed to create topics,
# users and ACLs); KAFKA_ORCHESTRATOR_PASSWORD, KAFKA_EVALUATOR_PASSWORD, KAFKA_SAMPLER_PASSWORD (hex or
# alphanumeric: they go into SCRAM and JAAS strings unquoted); optional: KAFKA_SECURITY_PROTOCOL (SASL_PLAINTEXT;
# SASL_SSL for TLS), KAFKA_SASL_MECHANISM (SCRAM-SHA-512), KAFKA_SSL_TRUSTSTORE_LOCATION / _PASSWORD / _TYPE
# (a private CA), MASPO_KAFKA_CREATE_USERS (true; false where the provider manages users, e.g. MSK, Confluent
# Cloud: then only topics and ACLs are made), PARTITIONS (12: at least the evaluators' maximum replica count, and an
# even spread over 1, 2, 3, 4, 6 or 12 of them; existing topics keep theirs), REPLICATION_FACTOR (1),
# KAFKA_AUTOSCALER_PASSWORD and KAFKA_AUTOSCALER_USERNAME (autoscaler): a user for KEDA's Kafka scaler.
set -euo pipefail

bin=${KAFKA_BIN:-/opt/kafka/bin}
mechanism=${KAFKA_SASL_MECHANISM:-SCRAM-SHA-512}
config=$(mktemp)
trap 'rm -f "$config"' EXIT
chmod 600 "$config"
cat > "$config" <<PROPERTIES
security.protocol=${KAFKA_SECURITY_PROTOCOL:-SASL_PLAINTEXT}
sasl.mechanism=$mechanism
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_ADMIN_USERNAME:?}" password="${KAFKA_ADMIN_PASSWORD:?}";
PROPERTIES
if [ -n "${KAFKA_SSL_TRUSTSTORE_LOCATION:-}" ]; then
  {
    echo "ssl.truststore.location=$KAFKA_SSL_TRUSTSTORE_LOCATION"
    echo "ssl.truststore.type=${KAFKA_SSL_TRUSTSTORE_TYPE:-PKCS12}"
    [ -n "${KAFKA_SSL_TRUSTSTORE_PASSWORD:-}" ] && echo "ssl.truststore.password=$KAFKA_SSL_TRUSTSTORE_PASSWORD"
  } >> "$config"
fi

kafka() {
  local tool=$1
  shift
  "$bin/$tool" --bootstrap-server "${KAFKA_BOOTSTRAP_SERVERS:?}" --command-config "$config" "$@"
}

for topic in maspo.evaluation-requests maspo.evaluation-results maspo.minibatch-requests maspo.minibatches maspo.usage-reports; do
  for name in "$topic" "$topic.dlq"; do
    kafka kafka-topics.sh --create --if-not-exists --topic "$name" --partitions "${PARTITIONS:-12}" \
      --replication-factor "${REPLICATION_FACTOR:-1}"
  done
done

# grant USER PASSWORD GROUP "TOPICS READ" "TOPICS WRITTEN": a consumer dead-letters to the .dlq twin of what it reads.
grant() {
  local user=$1 password=$2 group=$3 reads=$4 writes=$5 topic
  if [ "${MASPO_KAFKA_CREATE_USERS:-true}" = true ]; then
    kafka kafka-configs.sh --alter --entity-type users --entity-name "$user" \
      --add-config "$mechanism=[iterations=4096,password=${password:?password of Kafka user $user}]"
  fi
  kafka kafka-acls.sh --add --allow-principal "User:$user" --operation Read --group "$group"
  for topic in $reads; do
    kafka kafka-acls.sh --add --allow-principal "User:$user" --operation Read --topic "$topic"
    kafka kafka-acls.sh --add --allow-principal "User:$user" --operation Write --topic "$topic.dlq"
  done
  for topic in $writes; do
    kafka kafka-acls.sh --add --allow-principal "User:$user" --operation Write --topic "$topic"
  done
}

grant orchestrator "${KAFKA_ORCHESTRATOR_PASSWORD:-}" maspo-orchestrator \
  "maspo.evaluation-results maspo.minibatches maspo.usage-reports" "maspo.evaluation-requests maspo.minibatch-requests"
grant evaluator "${KAFKA_EVALUATOR_PASSWORD:-}" maspo-evaluators \
  "maspo.evaluation-requests" "maspo.evaluation-results maspo.usage-reports"
grant sampler "${KAFKA_SAMPLER_PASSWORD:-}" maspo-sampler \
  "maspo.minibatch-requests maspo.evaluation-results" "maspo.minibatches"
# The orchestrator serves the operators' dead-letter API: it reads every .dlq topic and replays a record to its
# original topic (for the answers it consumes, that is a write). Kept in step with KafkaAccess.
for topic in maspo.evaluation-requests maspo.evaluation-results maspo.minibatch-requests maspo.minibatches maspo.usage-reports; do
  kafka kafka-acls.sh --add --allow-principal "User:orchestrator" --operation Read --topic "$topic.dlq"
done
for topic in maspo.evaluation-results maspo.minibatches maspo.usage-reports; do
  kafka kafka-acls.sh --add --allow-principal "User:orchestrator" --operation Write --topic "$topic"
done
# KEDA's Kafka scaler reads the evaluators' lag (committed offsets against the log end): Describe on their group and
# topic is all it needs, so it holds no credential that could read or write a message.
if [ -n "${KAFKA_AUTOSCALER_PASSWORD:-}" ]; then
  autoscaler=${KAFKA_AUTOSCALER_USERNAME:-autoscaler}
  if [ "${MASPO_KAFKA_CREATE_USERS:-true}" = true ]; then
    kafka kafka-configs.sh --alter --entity-type users --entity-name "$autoscaler" \
      --add-config "$mechanism=[iterations=4096,password=$KAFKA_AUTOSCALER_PASSWORD]"
  fi
  kafka kafka-acls.sh --add --allow-principal "User:$autoscaler" --operation Describe --group maspo-evaluators
  kafka kafka-acls.sh --add --allow-principal "User:$autoscaler" --operation Describe --topic maspo.evaluation-requests
fi
