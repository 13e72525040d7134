package ai.maspo.infra;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The credentials of one local stack: an RSA key pair whose public half the orchestrator trusts for JWTs (issuer
 * {@value #ISSUER}), and a random bootstrap admin API key. Tokens are signed here with the JDK alone, as an OIDC
 * provider would sign them. A one-shot stack gets fresh ones ({@link #generate}), of which only the public key is
 * written (to its log folder); the long-running platform keeps its own in its state folder ({@link #loadOrGenerate}),
 * so keys and tokens handed out stay valid across a stop and start.
 */
public final class LocalCredentials {
    public static final String ISSUER = "maspo-local";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;
    private final Path publicKeyFile;
    private final String adminApiKey;

    private LocalCredentials(KeyPair keys, Path publicKeyFile, String adminApiKey) {
        this.keys = keys;
        this.publicKeyFile = publicKeyFile;
        this.adminApiKey = adminApiKey;
    }

    /** Generates the key pair and the admin key; the public key goes to {@code dir/jwt-public.pem}. */
    public static LocalCredentials generate(Path dir) {
        KeyPair keys = newKeyPair();
        Path publicKey = writePublicKey(dir, keys);
        return new LocalCredentials(keys, publicKey, newAdminKey());
    }

    /**
     * The credentials kept in {@code dir} (private key and admin key in files of mode 0600), generated and stored there
     * the first time.
     */
    public static LocalCredentials loadOrGenerate(Path dir) {
        Path privateKey = dir.resolve("jwt-private.key");
        Path adminKey = dir.resolve("admin-api-key");
        try {
            if (Files.isRegularFile(privateKey) && Files.isRegularFile(adminKey)) {
                KeyFactory rsa = KeyFactory.getInstance("RSA");
                RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(
                        new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(Files.readString(privateKey))));
                KeyPair keys = new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())), key);
                return new LocalCredentials(keys, writePublicKey(dir, keys), Files.readString(adminKey).strip());
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the local platform's credentials in " + dir
                    + "; delete that folder to get new ones", e);
        }
        KeyPair keys = newKeyPair();
        ProjectLayout.writePrivate(privateKey, Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n");
        String admin = newAdminKey();
        ProjectLayout.writePrivate(adminKey, admin + "\n");
        return new LocalCredentials(keys, writePublicKey(dir, keys), admin);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
    }

    private static Path writePublicKey(Path dir, KeyPair keys) {
        Path publicKey = dir.resolve("jwt-public.pem");
        try {
            Files.createDirectories(dir);
            Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            return publicKey;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the public key to " + dir, e);
        }
    }

    /** The orchestrator's API key format: mk_<hex id>_<base64url secret>. */
    private static String newAdminKey() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return "mk_" + HexFormat.of().formatHex(id) + "_" + BASE64URL.encodeToString(secret);
    }

    /** The orchestrator's environment: trust this stack's key pair and issuer, and accept the admin key. */
    public Map<String, String> orchestratorEnv() {
        return Map.of(
                "MP_JWT_VERIFY_ISSUER", ISSUER,
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "file:" + publicKeyFile.toAbsolutePath(),
                "MASPO_AUTH_BOOTSTRAP_ADMIN_KEY", adminApiKey);
    }

    public String adminApiKey() {
        return adminApiKey;
    }

    /** An RS256 JWT for {@code subject} (a plain user: no admin group), valid for {@code lifetime}. */
    public String token(String subject, Duration lifetime) {
        Instant now = Instant.now();
        ObjectNode claims = RunClient.json().createObjectNode()
                .put("iss", ISSUER).put("sub", subject).put("upn", subject).put("jti", UUID.randomUUID().toString())
                .put("iat", now.getEpochSecond()).put("exp", now.plus(lifetime).getEpochSecond());
        claims.putArray("groups");
        String signed = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + encode(claims.toString());
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + BASE64URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
