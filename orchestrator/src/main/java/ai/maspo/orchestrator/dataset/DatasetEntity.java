package ai.maspo.orchestrator.dataset;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "dataset")
public class DatasetEntity extends PanacheEntityBase {

    @Id
    public String id;
    public String name;
    /** The subject that imported the dataset; only it and admins see it or run on it. */
    public String owner;
    public String format;
    public long seed;
    @Column(name = "pool_size")
    public int poolSize;
    @Column(name = "test_size")
    public int testSize;
    @Column(name = "duplicates_dropped")
    public int duplicatesDropped;
    @Column(name = "created_at")
    public Instant createdAt;
}
