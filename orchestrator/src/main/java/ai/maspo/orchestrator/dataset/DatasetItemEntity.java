package ai.maspo.orchestrator.dataset;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "dataset_item")
public class DatasetItemEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "dataset_id")
    public String datasetId;
    @Enumerated(EnumType.STRING)
    public DatasetSplit split;
    public int position;
    @Column(name = "item_id")
    public String itemId;
    public String text;
    public String reference;
    @Column(name = "test_spec")
    public String testSpec;
    /** JSON object */
    public String metadata;
    @Column(name = "source_line")
    public int sourceLine;
}
