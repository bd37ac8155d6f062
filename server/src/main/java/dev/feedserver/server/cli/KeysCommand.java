package dev.feedserver.server.cli;

import dev.feedserver.server.security.ApiKey;
import dev.feedserver.server.security.KeyFormat;
import dev.feedserver.server.security.KeysFile;
import dev.feedserver.server.security.Scope;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code feedserver keys create|revoke|list}: manages the API keys file a running server
 * reloads by itself. {@code create} prints the new plaintext key once, on standard output and
 * nowhere else; the file keeps its SHA-256 only. Nothing here logs a key.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, revoke and list API keys (the server picks up changes within a second).",
        subcommands = {KeysCommand.Create.class, KeysCommand.Revoke.class, KeysCommand.ListKeys.class})
public final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code keys create}: appends a new key's hash and prints the key once. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Make a key; prints it once on stdout (store it now: only its hash is kept).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--keys-file", required = true, description = "The keys file (created if missing, mode 600).")
        Path keysFile;

        @Option(names = "--scopes", required = true, description = "Comma-separated: feed:read, events:write, items:write, generate, admin, or all.")
        String scopes;

        @Option(names = "--name", defaultValue = "key", description = "A label shown by 'keys list' (default ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() throws Exception {
            KeyFormat.NewKey fresh = KeyFormat.generate();
            ApiKey key = new ApiKey(fresh.id(), KeyFormat.sha256(fresh.plaintext()), Scope.parseList(scopes), name, Instant.now().truncatedTo(ChronoUnit.SECONDS));
            KeysFile.append(keysFile, key);
            PrintWriter out = spec.commandLine().getOut();
            out.println(fresh.plaintext());
            out.flush();
            spec.commandLine().getErr().println("key " + key.id() + " (" + name + ", scopes " + Scope.names(key.scopes()) + ") added to " + keysFile
                    + "; the key above is shown only this once");
            return 0;
        }
    }

    /** {@code keys revoke}: removes a key by id; the server rejects it within the reload interval. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Remove a key by its id (the 12 hex characters after fsk_).")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--keys-file", required = true)
        Path keysFile;

        @Option(names = "--id", required = true, description = "The key id, as 'keys list' shows it.")
        String id;

        @Override
        public Integer call() throws Exception {
            if (!Files.exists(keysFile)) {
                throw new IllegalArgumentException("no keys file at " + keysFile);
            }
            if (!KeysFile.remove(keysFile, id)) {
                throw new IllegalArgumentException("no key with id '" + id + "' in " + keysFile);
            }
            spec.commandLine().getOut().println("revoked " + id);
            return 0;
        }
    }

    /** {@code keys list}: id, name, scopes and creation time of each key; no secrets. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys: id, name, scopes, created (no secrets).")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--keys-file", required = true)
        Path keysFile;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-14s %-20s %-50s %s%n", "id", "name", "scopes", "created");
            for (ApiKey k : KeysFile.read(keysFile)) {
                out.printf("%-14s %-20s %-50s %s%n", k.id(), k.name(), Scope.names(k.scopes()), k.createdAt());
            }
            out.flush();
            return 0;
        }
    }
}
