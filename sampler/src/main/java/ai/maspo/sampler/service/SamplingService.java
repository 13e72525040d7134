package ai.maspo.sampler.service;

import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.MinibatchRequest;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.RecordMisalignment;
import ai.maspo.protocol.RegisterPool;
import ai.maspo.protocol.WireCodec;
import ai.maspo.sampler.domain.Draw;
import ai.maspo.sampler.domain.MemoryCase;
import ai.maspo.sampler.domain.MinibatchComposer;
import ai.maspo.sampler.persistence.MinibatchEntity;
import ai.maspo.sampler.persistence.MisalignmentCaseEntity;
import ai.maspo.sampler.persistence.PoolQuestionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Owns the pools and the misalignment memory; every operation is idempotent so redelivery changes nothing. */
@ApplicationScoped
public class SamplingService {

    @Transactional
    public void register(RegisterPool command) {
        if (knows(command.runId())) {
            return;
        }
        int position = 0;
        for (Question q : command.pool()) {
            PoolQuestionEntity e = new PoolQuestionEntity();
            e.key = new PoolQuestionEntity.Key(command.runId(), q.id());
            e.position = position++;
            e.text = q.text();
            e.reference = q.reference();
            e.tests = q.tests();
            e.persist();
        }
    }

    /**
     * Remembers cases for an agent. A question already remembered keeps its most telling priority and newest
     * layer, so recording the same cases again changes nothing. Returns false, storing nothing, when the run has
     * no registered pool: per-run ordering puts a genuine run's registration first.
     */
    @Transactional
    public boolean remember(RecordMisalignment command) {
        if (!knows(command.runId())) {
            return false;
        }
        for (RecordMisalignment.Case c : command.cases()) {
            var key = new MisalignmentCaseEntity.Key(command.runId(), command.agentId(), c.questionId());
            MisalignmentCaseEntity existing = MisalignmentCaseEntity.findById(key);
            if (existing == null) {
                MisalignmentCaseEntity e = new MisalignmentCaseEntity();
                e.key = key;
                e.priority = c.priority();
                e.layer = command.layer();
                e.persist();
            } else {
                existing.priority = Math.min(existing.priority, c.priority());
                existing.layer = Math.max(existing.layer, command.layer());
            }
        }
        return true;
    }

    /**
     * Returns the stored answer for a request already served, else draws, stores and returns a new one; empty,
     * storing nothing, when the run has no registered pool.
     */
    @Transactional
    public Optional<Minibatch> minibatch(MinibatchRequest request, WireCodec codec) {
        MinibatchEntity stored = MinibatchEntity.findById(request.requestId());
        if (stored != null) {
            return Optional.of(codec.decode(stored.payload, Minibatch.class));
        }
        List<PoolQuestionEntity> pool = PoolQuestionEntity.ofRun(request.runId());
        if (pool.isEmpty()) {
            return Optional.empty();
        }
        List<MemoryCase> memory = MisalignmentCaseEntity.ofAgents(request.runId(), request.memoryAgents()).stream()
                .map(c -> new MemoryCase(c.key.questionId(), c.priority, c.layer))
                .toList();
        Draw draw = MinibatchComposer.compose(pool.stream().map(p -> p.key.questionId()).toList(), memory,
                request.size(), request.maxInjected(), request.seed());
        Map<String, PoolQuestionEntity> byId = pool.stream()
                .collect(Collectors.toMap(p -> p.key.questionId(), Function.identity()));
        List<Question> questions = draw.questionIds().stream().map(byId::get)
                .map(p -> new Question(p.key.questionId(), p.text, p.reference, p.tests))
                .toList();
        Minibatch minibatch = new Minibatch(request.requestId(), request.runId(), request.agentId(), request.layer(),
                questions, draw.injected());
        MinibatchEntity entity = new MinibatchEntity();
        entity.requestId = request.requestId();
        entity.runId = request.runId();
        entity.payload = codec.encode(minibatch);
        entity.persist();
        return Optional.of(minibatch);
    }

    private static boolean knows(String runId) {
        return PoolQuestionEntity.count("key.runId", runId) > 0;
    }
}
