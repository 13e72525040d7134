-- The W3C trace context (traceparent and tracestate lines) of the span that stored a command, so that the outbox
-- relay, which publishes it later on its own thread (possibly after a restart), continues the same trace. NULL when
-- tracing is off.
ALTER TABLE dispatch ADD COLUMN trace_context TEXT;
