package dev.feedserver.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The shape of an API key: {@code fsk_<id>_<secret>}, where {@code id} is 12 hex characters
 * (public: it names the entry in the keys file and appears in logs and metrics) and
 * {@code secret} is 32 random bytes in unpadded base64url (256 bits from {@link SecureRandom}).
 * At rest only SHA-256 of the whole key is kept.
 *
 * <p>Why SHA-256 and not a slow password hash (bcrypt, scrypt, Argon2): slow hashes make
 * guessing low-entropy passwords expensive. A 256-bit random secret cannot be guessed or
 * brute-forced from its hash at any speed, so the slow hash would add only per-request CPU
 * (milliseconds per call on the event loop) without adding security.
 *
 * <p>Stateless; thread-safe.
 */
public final class KeyFormat {
    static final String PREFIX = "fsk_";
    static final int ID_CHARS = 12;
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyFormat() {
    }

    /** A fresh key: its id and its plaintext (shown once, never stored). */
    public record NewKey(String id, String plaintext) {
        @Override
        public String toString() {
            return "NewKey[id=" + id + "]"; // never the plaintext
        }
    }

    public static NewKey generate() {
        byte[] idBytes = new byte[ID_CHARS / 2];
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        return new NewKey(id, PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The id part of a presented key, or null when it does not have the key's shape. */
    static String idOf(String presented) {
        if (presented == null || presented.length() < PREFIX.length() + ID_CHARS + 2 || presented.length() > 128
                || !presented.startsWith(PREFIX) || presented.charAt(PREFIX.length() + ID_CHARS) != '_') {
            return null;
        }
        String id = presented.substring(PREFIX.length(), PREFIX.length() + ID_CHARS);
        return isValidId(id) ? id : null;
    }

    /** SHA-256 of the key's UTF-8 bytes: what the keys file stores. */
    public static byte[] sha256(String plaintext) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(plaintext.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    static boolean isValidId(String id) {
        if (id == null || id.length() != ID_CHARS) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '@')) {
                return false;
            }
        }
        return true;
    }
}
