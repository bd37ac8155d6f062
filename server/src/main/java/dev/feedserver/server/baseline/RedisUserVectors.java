package dev.feedserver.server.baseline;

import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionListener;
import dev.feedserver.ranking.users.UserProfiles;
import dev.feedserver.ranking.users.UserVectorSource;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;

/**
 * The side-by-side baseline's user vectors: kept in a Redis server, as the common architecture
 * keeps them, under {@code u:<user id>} as {@code dim} little-endian float32 values. Each feed
 * request reads its user with one {@code GET} ({@link #read}); each applied interaction writes
 * the user's new vector back with one {@code SET} ({@link #applied}), so Redis always holds what
 * the in-process store holds. The online learning itself (the drift) still runs in the model's
 * store: the baseline differs only in where the request reads the vector from.
 *
 * <p>Threading: thread-safe; the Jedis client keeps a pool of connections, one per concurrent
 * caller. Lifecycle: {@link #connect} opens the pool and checks the server answers;
 * {@link #close} closes it (idempotent); calls after close fail with Jedis's exception.
 */
public final class RedisUserVectors implements UserVectorSource, InteractionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisUserVectors.class);
    private static final int LOAD_BATCH = 1_000;

    private final RedisClient client;
    private final UserProfiles users;
    private final int dim;
    private final ThreadLocal<float[]> scratch;
    private final AtomicLong failedWrites = new AtomicLong();

    private RedisUserVectors(RedisClient client, UserProfiles users) {
        this.client = client;
        this.users = users;
        this.dim = users.dim();
        this.scratch = ThreadLocal.withInitial(() -> new float[dim]);
    }

    /**
     * Connects to the Redis server at {@code uri} ({@code redis://HOST:PORT}) and checks it
     * answers PING.
     *
     * @throws IllegalArgumentException if the URI is not {@code redis://HOST:PORT}
     * @throws IllegalStateException    if the server does not answer
     */
    public static RedisUserVectors connect(URI uri, UserProfiles users) {
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("--user-vectors must be redis://HOST:PORT, got " + uri);
        }
        // RESP2 without HELLO: works with every redis-server a distribution ships.
        RedisClient client = RedisClient.builder().hostAndPort(new HostAndPort(uri.getHost(), uri.getPort()))
                .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(5_000).protocol(RedisProtocol.RESP2)
                        .autoNegotiateProtocol(false).build())
                .build();
        try {
            String pong = client.ping();
            if (!"PONG".equals(pong)) {
                throw new IllegalStateException("Redis at " + uri + " answered PING with " + pong);
            }
        } catch (RuntimeException e) {
            client.close();
            throw new IllegalStateException("cannot reach Redis at " + uri + ": " + e.getMessage(), e);
        }
        return new RedisUserVectors(client, users);
    }

    /** The key of {@code userId}'s vector. */
    static byte[] key(String userId) {
        return ("u:" + userId).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code v} as little-endian float32 bytes. */
    static byte[] encode(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        return bytes.array();
    }

    /**
     * Writes every user of {@code userIds} that the store knows to Redis (pipelined, batches of
     * 1,000), replacing what is there. Returns the number written.
     */
    public long loadAll(List<String> userIds) {
        float[] v = scratch.get();
        long written = 0;
        try (Pipeline pipeline = client.pipelined()) {
            for (String id : userIds) {
                if (users.read(id, v)) {
                    pipeline.set(key(id), encode(v));
                    if (++written % LOAD_BATCH == 0) {
                        pipeline.sync();
                    }
                }
            }
            pipeline.sync();
        }
        return written;
    }

    @Override
    public boolean read(String userId, float[] dst) {
        byte[] value = client.get(key(userId));
        if (value == null) {
            return false;
        }
        if (value.length != dim * Float.BYTES) {
            throw new IllegalStateException("Redis holds " + value.length + " bytes for user " + userId + "; a vector is "
                    + dim * Float.BYTES + " (" + dim + " float32)");
        }
        ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, 0, dim);
        return true;
    }

    /** Writes the user's vector as the store now holds it (called after each applied event). */
    @Override
    public void applied(Interaction event, int item, float weight) {
        float[] v = scratch.get();
        if (!users.read(event.userId(), v)) {
            return;
        }
        try {
            client.set(key(event.userId()), encode(v));
        } catch (RuntimeException e) {
            // A listener must not throw into the journal; the next event of this user writes again.
            if (failedWrites.incrementAndGet() % 1_000 == 1) {
                LOG.warn("user-vectors: SET of user {} failed ({} failures so far): {}", event.userId(), failedWrites.get(), e.toString());
            }
        }
    }

    /** SETs that failed since start. */
    public long failedWrites() {
        return failedWrites.get();
    }

    @Override
    public void close() {
        client.close();
    }
}
