package ai.maspo.orchestrator.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API key as handed to its user: {@code mk_<id>_<secret>}. The id (16 hex digits) is not secret and finds the
 * stored key; the secret (256 random bits, base64url) is kept only as its SHA-256. The prefix tells a key from a
 * JWT in an {@code Authorization: Bearer} header.
 */
public record ApiKeyToken(String id, String secret) {

    public static final String PREFIX = "mk_";
    private static final Pattern ID = Pattern.compile("[a-z0-9]{8,32}");
    private static final int MIN_SECRET_LENGTH = 32;
    private static final int MAX_SECRET_LENGTH = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static ApiKeyToken generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new ApiKeyToken(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    public static boolean looksLikeKey(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** empty when {@code value} is not a well-formed key (the id is hex, so the first '_' after the prefix ends it) */
    public static Optional<ApiKeyToken> parse(String value) {
        if (!looksLikeKey(value)) {
            return Optional.empty();
        }
        String rest = value.substring(PREFIX.length());
        int separator = rest.indexOf('_');
        if (separator < 0) {
            return Optional.empty();
        }
        String id = rest.substring(0, separator);
        String secret = rest.substring(separator + 1);
        if (!ID.matcher(id).matches() || secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(new ApiKeyToken(id, secret));
    }

    /** hex SHA-256 of the secret: a 256-bit random secret needs no salt or slow hash */
    public String secretHash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** constant-time, so the time taken tells nothing about how much of a guessed key was right */
    public boolean matches(String storedHash) {
        return MessageDigest.isEqual(secretHash().getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    public String value() {
        return PREFIX + id + "_" + secret;
    }

    @Override
    public String toString() {
        return PREFIX + id + "_***"; // never log the secret
    }
}
