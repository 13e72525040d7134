package ai.maspo.simulator.server;

import ai.maspo.simulator.SimulatorOptions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Draws which fault, if any, a request suffers. Faults are independent per call (not a hash of the request),
 * so that a client retrying the same request can succeed.
 */
final class FaultInjector {

    enum Fault {
        NONE(null), RATE_LIMITED("rate_limited"), SERVER_ERROR("server_error"), HANG("hang"), MALFORMED("malformed");

        final String statsName;

        Fault(String statsName) {
            this.statsName = statsName;
        }
    }

    private final SimulatorOptions options;

    FaultInjector(SimulatorOptions options) {
        this.options = options;
    }

    Fault draw() {
        double u = ThreadLocalRandom.current().nextDouble();
        if ((u -= options.rate429()) < 0) {
            return Fault.RATE_LIMITED;
        }
        if ((u -= options.rate500()) < 0) {
            return Fault.SERVER_ERROR;
        }
        if ((u -= options.rateHang()) < 0) {
            return Fault.HANG;
        }
        return u - options.rateMalformed() < 0 ? Fault.MALFORMED : Fault.NONE;
    }
}
