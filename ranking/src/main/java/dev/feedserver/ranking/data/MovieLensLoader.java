package dev.feedserver.ranking.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the MovieLens "latest-small" layout ({@code movies.csv}, {@code ratings.csv}, and
 * {@code tags.csv} when present) into a {@link Dataset}. Every rating is one interaction
 * (implicit for retrieval, its stars kept for the ranker's labels); genres and user tags become item tags; an item's creation time is 1 January of the
 * year in its title, else its first rating.
 *
 * <p>Stateless; each {@link #load} call reads the files afresh. The files are read in place and
 * never copied (their research licence travels with the folder).
 */
public final class MovieLensLoader {
    private static final Pattern YEAR = Pattern.compile("\\((\\d{4})\\)\\s*$");
    private static final int MAX_TAGS_PER_ITEM = 16;

    private MovieLensLoader() {
    }

    /** Loads {@code dir}; {@code progress} receives short status lines. */
    public static Dataset load(Path dir, Consumer<String> progress) {
        Path movies = dir.resolve("movies.csv");
        Path ratings = dir.resolve("ratings.csv");
        for (Path required : List.of(movies, ratings)) {
            if (!Files.isRegularFile(required)) {
                throw new IllegalArgumentException("MovieLens dataset: " + required + " not found (expected the ml-latest-small layout)");
            }
        }
        Map<String, Integer> itemNumber = new HashMap<>();
        List<String> itemIds = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        List<Set<String>> tags = new ArrayList<>();
        forEachRow(movies, 3, row -> {
            itemNumber.put(row.get(0), itemIds.size());
            itemIds.add(row.get(0));
            titles.add(row.get(1).trim());
            Set<String> itemTags = new LinkedHashSet<>();
            for (String genre : row.get(2).split("\\|")) {
                if (!genre.startsWith("(")) {
                    itemTags.add(genre.trim().toLowerCase(java.util.Locale.ROOT));
                }
            }
            tags.add(itemTags);
        });
        progress.accept("movies: " + itemIds.size());

        TreeMap<Integer, Integer> userNumber = new TreeMap<>();
        List<int[]> raw = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<Float> stars = new ArrayList<>();
        long[] firstSeen = new long[itemIds.size()];
        java.util.Arrays.fill(firstSeen, Long.MAX_VALUE);
        forEachRow(ratings, 4, row -> {
            Integer item = itemNumber.get(row.get(1));
            if (item == null) {
                throw new IllegalArgumentException("ratings.csv names movie " + row.get(1) + " missing from movies.csv");
            }
            int user = Integer.parseInt(row.get(0));
            userNumber.putIfAbsent(user, 0);
            long millis = Long.parseLong(row.get(3)) * 1000L;
            raw.add(new int[] {user, item});
            times.add(millis);
            stars.add(Float.parseFloat(row.get(2)));
            firstSeen[item] = Math.min(firstSeen[item], millis);
        });
        int next = 0;
        List<String> userIds = new ArrayList<>(userNumber.size());
        for (Map.Entry<Integer, Integer> e : userNumber.entrySet()) {
            e.setValue(next++);
            userIds.add(Integer.toString(e.getKey()));
        }
        Interactions interactions = new Interactions(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            interactions.add(userNumber.get(raw.get(i)[0]), raw.get(i)[1], times.get(i), stars.get(i));
        }
        progress.accept("ratings: " + interactions.size() + " from " + userIds.size() + " users");

        Path tagFile = dir.resolve("tags.csv");
        if (Files.isRegularFile(tagFile)) {
            forEachRow(tagFile, 4, row -> {
                Integer item = itemNumber.get(row.get(1));
                String tag = row.get(2).trim().toLowerCase(java.util.Locale.ROOT);
                if (item != null && !tag.isEmpty() && tags.get(item).size() < MAX_TAGS_PER_ITEM) {
                    tags.get(item).add(tag);
                }
            });
        }
        List<Item> items = new ArrayList<>(itemIds.size());
        for (int i = 0; i < itemIds.size(); i++) {
            items.add(new Item(itemIds.get(i), titles.get(i), "", List.copyOf(tags.get(i)), createdAt(titles.get(i), firstSeen[i])));
        }
        return new Dataset("movielens:" + dir, userIds, items, interactions);
    }

    private static long createdAt(String title, long firstSeen) {
        Matcher m = YEAR.matcher(title);
        if (m.find()) {
            return LocalDate.of(Integer.parseInt(m.group(1)), 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return firstSeen == Long.MAX_VALUE ? 0L : firstSeen;
    }

    private static void forEachRow(Path file, int minFields, Consumer<List<String>> action) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty");
            }
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> row = CsvLine.split(line);
                if (row.size() < minFields) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": expected " + minFields + " fields, got " + row.size());
                }
                try {
                    action.accept(row);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
