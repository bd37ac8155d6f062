package dev.feedserver.bench;

import java.io.IOException;
import java.util.List;

/**
 * Event batches the fault scenarios post: batch {@code b} of tag {@code t} has one click per
 * user {@code t-b-0 .. t-b-(size-1)}, so after a restart each user's {@code interactions} says
 * whether the batch survived (1), was lost (unknown user) or was applied twice (2). Stateless.
 */
final class FaultBatches {
    private FaultBatches() {
    }

    /** The JSON body of batch {@code b}, with {@code batchId} when not null. */
    static String body(String tag, int b, int size, String batchId) {
        StringBuilder body = new StringBuilder("{");
        if (batchId != null) {
            body.append("\"batch_id\":\"").append(batchId).append("\",");
        }
        body.append("\"events\":[");
        for (int e = 0; e < size; e++) {
            body.append(e == 0 ? "" : ",").append("{\"user_id\":\"").append(user(tag, b, e))
                    .append("\",\"item_id\":\"i").append(e % 400).append("\",\"type\":\"click\"}");
        }
        return body.append("]}").toString();
    }

    static String user(String tag, int b, int e) {
        return tag + "-" + b + "-" + e;
    }

    /** How many of {@code batches} a server holds exactly once (the first and last user at 1 interaction). */
    static int presentOnce(FaultServer server, String tag, List<Integer> batches, int size) throws IOException, InterruptedException {
        int present = 0;
        for (int b : batches) {
            boolean once = server.interactions(user(tag, b, 0)) == 1 && server.interactions(user(tag, b, size - 1)) == 1;
            present += once ? 1 : 0;
        }
        return present;
    }
}
