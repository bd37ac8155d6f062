package dev.feedserver.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code feedserver.jar}: dispatches to subcommands. Bad options print a message
 * naming the problem and exit with status 2.
 */
@Command(name = "feedserver", mixinStandardHelpOptions = true, version = "feedserver 0.1.0",
        description = "An AI-native feed server in one process.",
        subcommands = {ServeCommand.class, EvalCommand.class, TrainCommand.class, ModelEvalCommand.class,
                CommandLine.HelpCommand.class})
public final class FeedServerCli implements Runnable {

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new FeedServerCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = "feedserver " + commandLine.getCommandName() + ": ";
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
        int code = cli.execute(args);
        if (code != 0 || !isServe(args)) {
            System.exit(code);
        }
    }

    private static boolean isServe(String[] args) {
        return args.length > 0 && args[0].equals("serve");
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
