package ai.maspo.simulator.server;

import ai.maspo.simulator.SimulatorOptions;
import ai.maspo.simulator.world.Worlds;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Vert.x HTTP server: one verticle per event loop (two per core), all listening on the same port, over which
 * Vert.x balances the connections.
 */
public final class HttpFrontend implements AutoCloseable {

    private final Vertx vertx;
    private final int port;

    private HttpFrontend(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
    }

    public static HttpFrontend start(SimulatorOptions options) {
        ChatHandler handler = new ChatHandler(Worlds.load(options.scenarioDir()), options);
        int eventLoops = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        try {
            // Vert.x shares one listening socket between verticles only when they ask for the same concrete port,
            // so a free port is chosen first rather than letting each verticle bind port 0.
            int port = options.port() != 0 ? options.port() : freePort();
            await(vertx.deployVerticle(() -> new ServerVerticle(handler, options.host(), port),
                    new DeploymentOptions().setInstances(eventLoops)));
            return new HttpFrontend(vertx, port);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("LLM simulator: " + e.getMessage(), e);
        }
    }

    private static final class ServerVerticle extends AbstractVerticle {

        private final ChatHandler handler;
        private final String host;
        private final int port;

        ServerVerticle(ChatHandler handler, String host, int port) {
            this.handler = handler;
            this.host = host;
            this.port = port;
        }

        @Override
        public void start(Promise<Void> started) {
            HttpServerOptions serverOptions = new HttpServerOptions().setHost(host).setPort(port)
                    .setTcpNoDelay(true).setCompressionSupported(false);
            vertx.createHttpServer(serverOptions)
                    .requestHandler(request -> handler.handle(vertx, request))
                    .listen()
                    .onSuccess(server -> started.complete())
                    .onFailure(started::fail);
        }
    }
}
