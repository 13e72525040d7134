package ai.maspo.infra;

import ai.maspo.protocol.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;

/**
 * What one service's Kafka user may do: exactly the flows of the design, nothing else (the broker denies whatever
 * no ACL allows). A consumer dead-letters what it cannot process to the topic's {@code .dlq} twin, so a service
 * writes the twins of the topics it reads. READ and WRITE imply DESCRIBE; since Kafka 3.0 WRITE on a topic also
 * allows idempotent producers, so no cluster-wide IdempotentWrite is granted. deploy/k8s/base/kafka-setup.sh grants
 * the same for compose and Kubernetes.
 */
public record KafkaAccess(String user, String group, List<String> reads, List<String> writes) {

    public static final KafkaAccess ORCHESTRATOR = new KafkaAccess("orchestrator", "maspo-orchestrator",
            List.of(Topics.EVALUATION_RESULTS, Topics.MINIBATCHES, Topics.USAGE_REPORTS),
            List.of(Topics.EVALUATION_REQUESTS, Topics.MINIBATCH_REQUESTS));
    public static final KafkaAccess EVALUATOR = new KafkaAccess("evaluator", "maspo-evaluators",
            List.of(Topics.EVALUATION_REQUESTS),
            List.of(Topics.EVALUATION_RESULTS, Topics.USAGE_REPORTS));
    /** The design has the sampler read evaluation results (failure traces) besides its commands. */
    public static final KafkaAccess SAMPLER = new KafkaAccess("sampler", "maspo-sampler",
            List.of(Topics.MINIBATCH_REQUESTS, Topics.EVALUATION_RESULTS),
            List.of(Topics.MINIBATCHES));

    public static final List<KafkaAccess> SERVICES = List.of(ORCHESTRATOR, EVALUATOR, SAMPLER);

    /**
     * The orchestrator also serves the operators' dead-letter API (list and replay, admins only): it reads every
     * {@code .dlq} topic and re-publishes a record to its original topic, which for answers means writing the topics
     * it otherwise only reads. That gives it nothing it could not already do to its own state.
     */
    private static final String DEAD_LETTER_OPERATOR = "orchestrator";

    /** The access of the service whose Kafka user is {@code user}. */
    public static KafkaAccess of(String user) {
        return SERVICES.stream().filter(a -> a.user.equals(user)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka user for service '" + user + "'"));
    }

    public String principal() {
        return "User:" + user;
    }

    public List<AclBinding> bindings() {
        List<AclBinding> bindings = new ArrayList<>();
        bindings.add(allow(ResourceType.GROUP, group, AclOperation.READ));
        for (String topic : reads) {
            bindings.add(allow(ResourceType.TOPIC, topic, AclOperation.READ));
            bindings.add(allow(ResourceType.TOPIC, Topics.deadLetter(topic), AclOperation.WRITE));
        }
        for (String topic : writes) {
            bindings.add(allow(ResourceType.TOPIC, topic, AclOperation.WRITE));
        }
        if (user.equals(DEAD_LETTER_OPERATOR)) {
            for (String topic : Topics.ALL) {
                bindings.add(allow(ResourceType.TOPIC, Topics.deadLetter(topic), AclOperation.READ));
                if (reads.contains(topic)) {
                    bindings.add(allow(ResourceType.TOPIC, topic, AclOperation.WRITE));
                }
            }
        }
        return bindings;
    }

    private AclBinding allow(ResourceType type, String name, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal(), "*", operation, AclPermissionType.ALLOW));
    }
}
