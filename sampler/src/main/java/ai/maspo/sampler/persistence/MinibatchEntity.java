package ai.maspo.sampler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A mini-batch as it was answered (JSON), so that a redelivered request gets exactly the same answer. */
@Entity
@Table(name = "minibatch")
public class MinibatchEntity extends PanacheEntityBase {

    @Id
    @Column(name = "request_id")
    public String requestId;
    @Column(name = "run_id")
    public String runId;
    public String payload;
}
