package dev.feedserver.generation.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rule of the constraint checker, and the trimming to whole sentences. */
class ConstraintCheckerTest {

    @TempDir
    Path dir;

    private static final StageConstraints PROSE = new StageConstraints(5, 12, List.of("dark"), List.of("ball"), 64,
            OutputFormat.PROSE);

    private static List<String> rules(String text, StageConstraints constraints) {
        return ConstraintChecker.checkText(text, constraints).stream().map(Violation::rule).toList();
    }

    @Test
    void textRules() {
        assertEquals(List.of(), rules("Tom had a red ball. He played all day.", PROSE));
        assertEquals(List.of(Violation.TOO_SHORT), rules("Tom had a ball.", PROSE));
        assertEquals(List.of(Violation.TOO_LONG), rules("Tom had a ball and a cat and a dog and a hat and a box.", PROSE));
        assertEquals(List.of(Violation.BANNED_WORD), rules("Tom had a ball in the Dark room.", PROSE), "case-insensitive");
        assertEquals(List.of(), rules("Tom had a ball in the darkness today.", PROSE), "whole words only");
        assertEquals(List.of(Violation.MISSING_KEYWORD), rules("Tom had a red balloon today.", PROSE));
        assertEquals(List.of(Violation.FORMAT), rules("Tom had a ball and then he", PROSE));
        assertEquals(List.of(), rules("Tom said, \"I like my ball!\"", PROSE), "a closing quote after the stop");
        Violation banned = ConstraintChecker.checkText("Tom saw the dark ball there.", PROSE).getFirst();
        assertEquals("dark", banned.word());
    }

    @Test
    void titlesAndSentences() {
        StageConstraints title = new StageConstraints(2, 8, List.of(), List.of(), 0, OutputFormat.TITLE);
        assertEquals(List.of(), rules("Lily and the Ball", title));
        assertEquals(List.of(Violation.FORMAT), rules("Lily and the Ball.", title));
        assertEquals(List.of(Violation.FORMAT), rules("lily and the ball", title));
        assertEquals(List.of(Violation.TOO_SHORT, Violation.FORMAT), rules("Ball", title));
        StageConstraints sentence = new StageConstraints(0, 0, List.of(), List.of(), 0, OutputFormat.SENTENCE);
        assertEquals(List.of(), rules("One sentence here.", sentence));
        assertEquals(List.of(Violation.FORMAT), rules("One. Two.", sentence));
    }

    @Test
    void mediaFilesAreCheckedByTheirSignature() throws Exception {
        Path png = Files.write(dir.resolve("a.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0});
        Path fake = Files.write(dir.resolve("b.png"), "not an image".getBytes());
        Path empty = Files.write(dir.resolve("c.wav"), new byte[0]);
        assertEquals(List.of(), ConstraintChecker.checkFile(png, StageConstraints.media(OutputFormat.PNG)));
        assertEquals(Violation.FORMAT, ConstraintChecker.checkFile(fake, StageConstraints.media(OutputFormat.PNG)).getFirst().rule());
        assertEquals(Violation.FORMAT, ConstraintChecker.checkFile(empty, StageConstraints.media(OutputFormat.WAV)).getFirst().rule());
        assertEquals(Violation.FORMAT, ConstraintChecker.checkFile(dir.resolve("none.mp4"),
                StageConstraints.media(OutputFormat.MP4)).getFirst().rule());
    }

    @Test
    void wholeSentencesDropsTheUnfinishedTailAndRespectsTheLimit() {
        assertEquals("One two. Three four.", WholeSentences.trim("One two. Three four. Five six", 0));
        assertEquals("One two.", WholeSentences.trim("One two. Three four five six seven.", 4));
        assertEquals("He said, \"Hi!\"", WholeSentences.trim("He said, \"Hi!\" And then", 0));
        assertEquals("no end at all", WholeSentences.trim("no end at all", 0), "left for the format check");
        assertTrue(WholeSentences.endsSentence("Done.\""));
    }
}
