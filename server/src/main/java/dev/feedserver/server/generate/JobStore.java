package dev.feedserver.server.generate;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.feedserver.generation.orchestration.MediaFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps generation jobs on disk, one directory per job under {@code <root>/<job id>/}: the job
 * record as {@code job.json} and the job's media outputs beside it. Every save writes a
 * temporary file, forces it to disk, renames it over the old record and forces the directory, so
 * a crash leaves either the old record or the new one, never half of one. Finished outputs stay
 * on disk until the retention deletes the job.
 *
 * <p>Threading: thread-safe for different jobs; saves of one job must be serialised by the
 * caller (the executor's listener runs under the job's lock). Lifecycle: holds no open files.
 */
public final class JobStore {
    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
    private static final String RECORD = "job.json";
    private static final Pattern JOB_ID = Pattern.compile("[a-z0-9-]{1,64}");

    /** Records only: fields in, canonical constructors out; no getter-like helper methods. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .visibility(PropertyAccessor.ALL, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.ANY)
            .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path root;

    /** A store under {@code root}, created when missing. */
    public JobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    /** Whether {@code id} has the shape of a job id (so it is safe as a directory name). */
    public static boolean validId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }

    /** The job's directory, created (and its entry forced to disk) when missing. */
    public Path directory(String jobId) throws IOException {
        if (!validId(jobId)) {
            throw new IllegalArgumentException("not a job id: " + jobId);
        }
        Path dir = root.resolve(jobId);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            MediaFiles.forceDirectory(root);
        }
        return dir;
    }

    /** Deletes a job's directory: its record and its outputs. */
    public void delete(String jobId) throws IOException {
        if (!validId(jobId)) {
            throw new IllegalArgumentException("not a job id: " + jobId);
        }
        Path dir = root.resolve(jobId);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Saves the record durably (temporary file, force, atomic rename, directory forced). */
    public void save(StoredJob job) throws IOException {
        MediaFiles.writeAtomically(directory(job.job().id()).resolve(RECORD), MAPPER.writeValueAsBytes(job));
    }

    /**
     * Every readable record. A record that cannot be read is logged loudly and left on disk for
     * an operator; it never stops the others from loading.
     */
    public List<StoredJob> loadAll() throws IOException {
        List<StoredJob> jobs = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                Path record = dir.resolve(RECORD);
                if (!validId(dir.getFileName().toString()) || !Files.isRegularFile(record)) {
                    continue;
                }
                try {
                    jobs.add(MAPPER.readValue(record.toFile(), StoredJob.class));
                } catch (IOException | RuntimeException e) {
                    LOG.error("generation job record {} cannot be read and is skipped: {}", record, e.getMessage());
                }
            }
        }
        jobs.sort(java.util.Comparator.comparingLong(j -> j.job().createdMillis()));
        return jobs;
    }

    /** The file of an output, or null when {@code file} is not a plain name or does not exist. */
    public Path output(String jobId, String file) {
        if (!validId(jobId) || file == null || !file.matches("[a-z0-9-]{1,32}\\.(png|wav|mp4)")) {
            return null;
        }
        Path path = root.resolve(jobId).resolve(file);
        return Files.isRegularFile(path) ? path : null;
    }
}
