package dev.feedserver.generation.orchestration;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts text in cl100k tokens (jtokkit's implementation of the BPE that GPT-4-class models
 * use), the common unit for comparing token use across systems.
 *
 * <p>Threading and lifecycle: the encoding loads once, on first use, and is thread-safe.
 */
public final class Cl100kTokens {

    private Cl100kTokens() {
    }

    private static final class Holder {
        static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    /** The number of cl100k tokens of {@code text} (0 for an empty text). */
    public static int count(String text) {
        return text.isEmpty() ? 0 : Holder.ENCODING.countTokensOrdinary(text);
    }
}
