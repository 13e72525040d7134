package ai.maspo.sampler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.List;

@Entity
@Table(name = "pool_question")
public class PoolQuestionEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "run_id") String runId, @Column(name = "question_id") String questionId)
            implements Serializable {
    }

    @EmbeddedId
    public Key key;
    public int position;
    public String text;
    public String reference;
    public String tests;

    public static List<PoolQuestionEntity> ofRun(String runId) {
        return list("key.runId = ?1 order by position", runId);
    }
}
