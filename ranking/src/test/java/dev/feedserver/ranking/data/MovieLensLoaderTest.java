package dev.feedserver.ranking.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensLoaderTest {

    @Test
    void readsQuotedTitlesGenresTagsAndTimes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("movies.csv"), """
                movieId,title,genres
                1,Toy Story (1995),Adventure|Animation|Children
                2,"American President, The (1995)",Comedy|Drama|Romance
                3,Untitled,(no genres listed)
                """);
        Files.writeString(dir.resolve("ratings.csv"), """
                userId,movieId,rating,timestamp
                10,1,4.0,964982703
                10,2,4.0,964981247
                7,1,5.0,964982224
                """);
        Files.writeString(dir.resolve("tags.csv"), """
                userId,movieId,tag,timestamp
                10,2,Politics,1445714994
                """);
        Dataset ds = MovieLensLoader.load(dir, line -> { });
        assertEquals(List.of("7", "10"), ds.userIds());
        assertEquals(3, ds.items().size());
        assertEquals("American President, The (1995)", ds.items().get(1).title());
        assertEquals(List.of("comedy", "drama", "romance", "politics"), ds.items().get(1).tags());
        assertEquals(List.of(), ds.items().get(2).tags());
        assertEquals(3, ds.interactions().size());
        assertEquals(1, ds.interactions().user(0));
        assertEquals(964982703000L, ds.interactions().timeMillis(0));
        assertEquals(788918400000L, ds.items().get(0).createdAtMillis());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MovieLensLoader.load(dir, l -> { }));
        assertTrue(e.getMessage().contains("movies.csv"), e.getMessage());
    }

    @Test
    void loadsTheSharedMovieLensWhenPresent() {
        Path dir = Path.of("..", "..", "shared", "datasets", "ml-latest-small");
        Assumptions.assumeTrue(Files.isDirectory(dir), "skipped: ../shared/datasets/ml-latest-small is absent");
        Dataset ds = MovieLensLoader.load(dir, line -> { });
        assertEquals(610, ds.userIds().size());
        assertEquals(9742, ds.items().size());
        assertEquals(100_836, ds.interactions().size());
    }
}
