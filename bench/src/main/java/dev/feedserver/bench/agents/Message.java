package dev.feedserver.bench.agents;

/**
 * One entry of the agent graph's message history, as LangGraph's {@code messages} state key
 * holds them: who said it, which node (for assistant and tool messages), and the text.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param role    who wrote it
 * @param name    the node that wrote it ("" for system and user messages)
 * @param content the text
 */
public record Message(Role role, String name, String content) {

    /** The roles of a chat history. */
    public enum Role {
        SYSTEM("System"),
        USER("User"),
        ASSISTANT("Assistant"),
        TOOL("Tool");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        /** How the role is written when the history is rendered as text. */
        public String label() {
            return label;
        }
    }

    /** Checks that every field is present. */
    public Message {
        if (role == null || name == null || content == null) {
            throw new IllegalArgumentException("a message needs a role, a name (may be empty) and content");
        }
    }

    public static Message system(String content) {
        return new Message(Role.SYSTEM, "", content);
    }

    public static Message assistant(String node, String content) {
        return new Message(Role.ASSISTANT, node, content);
    }

    public static Message tool(String node, String content) {
        return new Message(Role.TOOL, node, content);
    }

    /** "System: ...", "Assistant (premise): ...": one line of the rendered history, with its newline. */
    public String render() {
        return (name.isEmpty() ? role.label() : role.label() + " (" + name + ")") + ": " + content.strip() + "\n";
    }

    /** The start of this node's next turn, as a chat template opens it: "Assistant (story): ". */
    public static String turnHeader(String node) {
        return Role.ASSISTANT.label() + " (" + node + "): ";
    }
}
