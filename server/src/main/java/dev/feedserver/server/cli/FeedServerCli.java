package dev.feedserver.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code feedserver.jar}: dispatches to subcommands. Bad options print a message
 * naming the problem and exit with status 2.
 */
@Command(name = "feedserver", mixinStandardHelpOptions = true, version = "feedserver 0.1.0",
        description = "An AI-native feed server in one process.",
        subcommands = {ServeCommand.class, EvalCommand.class, TrainCommand.class, QuantizeCommand.class, ModelEvalCommand.class,
                ExportOnnxCommand.class, ImportOnnxCommand.class, KeysCommand.class, ModelServerCommand.class, CommandLine.HelpCommand.class})
public final class FeedServerCli implements Runnable {

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || !isServe(args)) {
            System.exit(code);
        }
    }

    /**
     * The command line with its error handling: an {@link IllegalArgumentException} from a command
     * prints {@code feedserver COMMAND: message} and gives status 2, an {@link java.io.IOException}
     * status 1. Tests run commands in-process through it.
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new FeedServerCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = commandLine.getCommandSpec().qualifiedName() + ": "; // e.g. "feedserver keys create: "
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println(command + e.getMessage());
                return 2;
            }
            if (e instanceof java.io.IOException) {
                // Bind failures (address in use), unreadable data directories and the like.
                commandLine.getErr().println(command + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }

    private static boolean isServe(String[] args) {
        return args.length > 0 && args[0].equals("serve");
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
