package io.loomzk.cli;

import io.loomzk.client.ZkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Tab completion: command names in the first word, a command's options after {@code -}, and
 * znode paths (the children of the typed parent, read from the server) in any word that starts
 * with {@code /}. Paths complete only while a session is open; a failed read completes nothing.
 */
final class ShellCompleter implements Completer {
    private final CommandLine commandLine;
    private final Shell shell;

    ShellCompleter(CommandLine commandLine, Shell shell) {
        this.commandLine = commandLine;
        this.shell = shell;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        for (Completion c : complete(words.subList(0, line.wordIndex()), line.word())) {
            candidates.add(new Candidate(c.value(), c.display(), null, null, null, null, c.complete()));
        }
    }

    /** One completion: the word to insert, what to show, and whether a space may follow. */
    record Completion(String value, String display, boolean complete) {}

    /** The completions of {@code word}, after the words before it. */
    List<Completion> complete(List<String> before, String word) {
        List<Completion> out = new ArrayList<>();
        if (before.isEmpty()) {
            for (String name : commandLine.getSubcommands().keySet()) {
                if (name.toLowerCase(Locale.ROOT).startsWith(word.toLowerCase(Locale.ROOT))) {
                    out.add(new Completion(name, name, true));
                }
            }
            out.sort((a, b) -> a.value().compareTo(b.value()));
            return out;
        }
        if (word.startsWith("-")) {
            CommandLine sub = commandLine.getSubcommands().get(before.get(0));
            if (sub != null) {
                for (OptionSpec option : sub.getCommandSpec().options()) {
                    for (String name : option.names()) {
                        if (name.startsWith(word)) {
                            out.add(new Completion(name, name, true));
                        }
                    }
                }
            }
            return out;
        }
        if (word.startsWith("/")) {
            return paths(word);
        }
        return out;
    }

    /** The children of the typed parent whose names start with the typed rest, as full paths. */
    List<Completion> paths(String word) {
        List<Completion> out = new ArrayList<>();
        if (!shell.isOpen()) {
            return out;
        }
        int slash = word.lastIndexOf('/');
        String parent = slash == 0 ? "/" : word.substring(0, slash);
        String prefix = word.substring(slash + 1);
        List<String> names;
        try {
            names = new ArrayList<>(shell.client().getChildren(parent).names());
        } catch (ZkException | IllegalArgumentException | CliException e) {
            return out;
        }
        names.sort(null);
        for (String name : names) {
            if (name.startsWith(prefix)) {
                String full = Walk.child(parent, name);
                out.add(new Completion(full, name, false));
            }
        }
        return out;
    }
}
