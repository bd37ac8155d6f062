package dev.feedserver.generation.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Step 1: briefs are validated and compiled into a typed plan whose stages carry the brief's constraints. */
class BriefPlannerTest {

    private static final StageModels MODELS = new StageModels("text", "speech", "image", "video");

    @Test
    void eachFormatHasItsStagesEachReadingOnlyWhatItNeeds() {
        BriefPlanner planner = new BriefPlanner(MODELS);
        assertEquals(List.of("premise", "story", "title", "cover"), ids(planner.plan(brief(ContentFormat.STORY))));
        assertEquals(List.of("premise", "story", "title", "cover", "narration"), ids(planner.plan(brief(ContentFormat.NARRATED))));
        ContentPlan video = planner.plan(brief(ContentFormat.VIDEO));
        assertEquals(List.of("premise", "story", "title", "cover", "narration", "video"), ids(video));
        assertEquals(List.of(), video.stage("premise").inputs());
        assertEquals(List.of("premise"), video.stage("story").inputs());
        assertEquals(List.of("premise"), video.stage("title").inputs());
        assertEquals(List.of("title"), video.stage("cover").inputs());
        assertEquals(List.of("story"), video.stage("narration").inputs());
        assertEquals(List.of("cover", "narration"), video.stage("video").inputs());
        assertNull(video.stage("title").model(), "the title is composed by rules");
        assertEquals("text", video.stage("story").model());
        assertEquals("video", video.stage("video").model());
    }

    @Test
    void theBriefsConstraintsLandOnTheStagesThatCanBreakThem() {
        Brief brief = new Brief("sea", List.of("ocean"), ContentFormat.STORY, Audience.CHILDREN, List.of("fish", "boat"),
                List.of("storm"), 50, 120, 400, -1);
        ContentPlan plan = new BriefPlanner(MODELS).plan(brief);
        StageConstraints story = plan.stage("story").constraints();
        assertEquals(50, story.minWords());
        assertEquals(120, story.maxWords());
        assertEquals(List.of("fish", "boat"), story.requiredKeywords());
        assertTrue(story.bannedWords().containsAll(List.of("storm", "kill")), "the brief's and the audience's banned words");
        assertEquals(List.of("fish"), plan.stage("premise").constraints().requiredKeywords(), "the premise seeds the subject");
        assertTrue(plan.stage("premise").constraints().maxTokens() + story.maxTokens() <= 400, "within the token budget");
        assertEquals(OutputFormat.PNG, plan.stage("cover").constraints().format());
    }

    @Test
    void badBriefsAndPlansAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Brief("", List.of(), ContentFormat.STORY,
                Audience.GENERAL, List.of(), List.of(), 40, 160, 512, -1)).getMessage().contains("topic"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Brief("sea", List.of(), ContentFormat.STORY,
                Audience.CHILDREN, List.of("blood"), List.of(), 40, 160, 512, -1)).getMessage().contains("both required and banned"));
        assertThrows(IllegalArgumentException.class, () -> new Brief("sea", List.of(), ContentFormat.STORY,
                Audience.GENERAL, List.of(), List.of(), 100, 50, 512, -1));
        assertThrows(IllegalArgumentException.class, () -> new Brief("sea", List.of("two words"), ContentFormat.STORY,
                Audience.GENERAL, List.of(), List.of(), 40, 160, 512, -1));
        StageSpec a = new StageSpec("a", StageKind.TITLE, null, List.of("b"), StageConstraints.media(OutputFormat.PNG), 0, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ContentPlan(List.of(a))).getMessage()
                .contains("not an earlier stage"), "inputs must come first, so a plan has no cycle");
        assertThrows(IllegalArgumentException.class,
                () -> new StageSpec("x", StageKind.TEXT, null, List.of(), StageConstraints.media(OutputFormat.PNG), 0, 1));
    }

    @Test
    void thePremiseOpeningIsDeterministicAndCarriesTheSubject() {
        Brief brief = brief(ContentFormat.STORY);
        assertEquals(PremiseOpening.of(brief), PremiseOpening.of(brief));
        assertTrue(PremiseOpening.of(brief).contains("loved ball very much."));
        assertTrue(PremiseOpening.of(brief).contains("named " + PremiseOpening.name(brief)));
    }

    private static Brief brief(ContentFormat format) {
        return Brief.of("garden", format, List.of("ball"));
    }

    private static List<String> ids(ContentPlan plan) {
        return plan.stages().stream().map(StageSpec::id).toList();
    }
}
