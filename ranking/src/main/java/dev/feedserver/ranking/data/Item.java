package dev.feedserver.ranking.data;

import java.util.List;

/**
 * One catalogue item as clients and datasets describe it. Immutable; replacing an item means
 * publishing a new instance.
 *
 * @param id external id
 * @param title short display title
 * @param text longer body text, may be empty
 * @param tags topic or genre tags, lower case
 * @param createdAtMillis creation time, epoch milliseconds
 */
public record Item(String id, String title, String text, List<String> tags, long createdAtMillis) {
    public Item {
        tags = List.copyOf(tags);
        text = text == null ? "" : text;
    }
}
