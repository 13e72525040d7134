package ai.maspo.orchestrator.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "run")
public class RunEntity extends PanacheEntityBase {

    @Id
    public String id;
    public String name;
    /** The subject that submitted the run; only it and admins see the run. */
    public String owner;
    /** The search strategy's wire name (also in the spec), for the run list's filter. */
    public String strategy;
    @Enumerated(EnumType.STRING)
    public RunStatus status;
    @Enumerated(EnumType.STRING)
    public RunPhase phase;
    /** The submitted spec (JSON), the resolved MAS and model roles (JSON), the current best prompts (JSON). */
    public String spec;
    public String mas;
    public String models;
    @Column(name = "best_prompts")
    public String bestPrompts;
    @Column(name = "seed_accuracy")
    public Double seedAccuracy;
    @Column(name = "optimized_accuracy")
    public Double optimizedAccuracy;
    public String error;
    /** The search engine's state (JSON), null before the search starts. */
    @Column(name = "search_state")
    public String searchState;
    /** Why the search or the run ended: schedule complete, budget exhausted, cancelled by whom, ... */
    @Column(name = "finish_reason")
    public String finishReason;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
}
