package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.domain.RunSpec;
import ai.maspo.orchestrator.domain.RunSpecValidator;
import ai.maspo.orchestrator.domain.ValidRun;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs' validated specs, decoded and validated once per run rather than once per answer: a stored spec never
 * changes, so a cached one is always right. Bounded (least recently used out) so old runs do not pile up.
 */
@ApplicationScoped
public class ValidRuns {

    private static final int CAPACITY = 256;

    private final WireCodec codec;
    private final Map<String, ValidRun> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ValidRun> eldest) {
            return size() > CAPACITY;
        }
    };

    ValidRuns(ObjectMapper mapper, Validator validator) {
        this.codec = new WireCodec(mapper, validator);
    }

    ValidRun of(RunEntity run) {
        synchronized (cache) {
            ValidRun cached = cache.get(run.id);
            if (cached != null) {
                return cached;
            }
        }
        ValidRun valid = RunSpecValidator.validate(codec.decode(run.spec, RunSpec.class));
        synchronized (cache) {
            cache.put(run.id, valid);
        }
        return valid;
    }
}
