package ai.maspo.sampler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;

@Entity
@Table(name = "misalignment_case")
public class MisalignmentCaseEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "run_id") String runId, @Column(name = "agent_id") String agentId,
                      @Column(name = "question_id") String questionId) implements Serializable {
    }

    @EmbeddedId
    public Key key;
    public int priority;
    public int layer;

    public static List<MisalignmentCaseEntity> ofAgents(String runId, Collection<String> agentIds) {
        return agentIds.isEmpty() ? List.of() : list("key.runId = ?1 and key.agentId in ?2", runId, agentIds);
    }
}
