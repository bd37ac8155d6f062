package dev.feedserver.ranking.users;

/**
 * Where a feed request reads the user's long-term vector: the in-process store
 * ({@link UserProfiles#read}, the default) or, for the side-by-side baseline, an external
 * key-value store. The rest of the user's state (consumed items, recent interests, cluster
 * affinities) stays in the model whatever the source.
 *
 * <p>Threading: implementations are called concurrently from every request thread.
 */
@FunctionalInterface
public interface UserVectorSource {
    /**
     * Copies the user's vector into {@code dst} ({@code dim} floats); false (and {@code dst}
     * untouched) for an unknown user.
     */
    boolean read(String userId, float[] dst);
}
