package dev.feedserver.server.generate;

import dev.feedserver.generation.orchestration.JobSnapshot;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.durability.ChangeJournal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Publishes a succeeded job through the change journal, exactly like {@code PUT /v1/items/{id}}:
 * logged durably, embedded, then in the interest index, its nearest latent cluster and the
 * fresh index. The item is {@code gen-<job id>}; its title is the title stage's text, its text
 * the story, its tags the brief's tags plus the topic.
 *
 * <p>Threading and lifecycle: thread-safe; holds nothing but the journal.
 */
public final class JournalPublisher implements CataloguePublisher {

    private final ChangeJournal journal;
    private final LongSupplier clockMillis;

    public JournalPublisher(ChangeJournal journal, LongSupplier clockMillis) {
        this.journal = journal;
        this.clockMillis = clockMillis;
    }

    /** The catalogue id of a job's item. */
    public static String itemId(String jobId) {
        return "gen-" + jobId;
    }

    @Override
    public String publish(JobSnapshot job) throws IOException {
        String title = job.stage("title").output().text();
        String story = job.stage("story").output().text();
        List<String> tags = new ArrayList<>(job.brief().tags());
        String topicTag = job.brief().topic().toLowerCase(Locale.ROOT).replace(' ', '-');
        if (!tags.contains(topicTag)) {
            tags.add(topicTag);
        }
        Item item = new Item(itemId(job.id()), title, story, List.copyOf(tags), clockMillis.getAsLong());
        journal.putItem(item);
        return item.id();
    }
}
