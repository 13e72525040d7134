package ai.maspo.orchestrator.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.List;

@Entity
@Table(name = "run_cost")
public class RunCostEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "run_id") String runId, @Column(name = "role") String role) implements Serializable {
    }

    @EmbeddedId
    public Key key;
    public long calls;
    @Column(name = "cached_calls")
    public long cachedCalls;
    @Column(name = "prompt_tokens")
    public long promptTokens;
    @Column(name = "completion_tokens")
    public long completionTokens;
    public long millis;

    public static List<RunCostEntity> ofRun(String runId) {
        return list("key.runId = ?1 order by key.role", runId);
    }
}
