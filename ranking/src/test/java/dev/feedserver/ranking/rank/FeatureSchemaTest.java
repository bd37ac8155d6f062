package dev.feedserver.ranking.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FeatureSchemaTest {

    @Test
    void defaultSchemaIsAtLeast4700WideAndLaidOutScopeByScope() {
        FeatureSchema schema = FeatureSchema.standard(32, 384, 32);
        assertEquals(5_229, schema.width());
        assertTrue(schema.width() >= 4_700);
        int sum = 0;
        FeatureScope previous = FeatureScope.REQUEST;
        Set<String> names = new HashSet<>();
        for (FeatureFamily family : schema.families()) {
            assertTrue(family.scope().ordinal() >= previous.ordinal(), family.name() + " breaks the scope order");
            assertTrue(names.add(family.name()), "duplicate family " + family.name());
            previous = family.scope();
            sum += family.width();
        }
        assertEquals(schema.width(), sum);
        assertEquals(0, schema.offset(FeatureScope.REQUEST));
        assertEquals(schema.width(FeatureScope.REQUEST), schema.offset(FeatureScope.ITEM));
        assertEquals(schema.width() - schema.width(FeatureScope.CANDIDATE), schema.offset(FeatureScope.CANDIDATE));
        assertEquals(74, schema.width(FeatureScope.CANDIDATE));
    }

    @Test
    void familyOffsetsWithinScopes() {
        FeatureSchema schema = FeatureSchema.standard(8, 16, 4);
        assertEquals(0, schema.offsetInScope("user_vector"));
        assertEquals(8, schema.offsetInScope("session_vector"));
        assertEquals(16, schema.offsetInScope("user_content_profile"));
        assertEquals(0, schema.offsetInScope("item_vector"));
        assertEquals(8, schema.offsetInScope("item_content"));
        assertEquals(0, schema.offsetInScope("user_item_product"));
        assertEquals(8, schema.offsetInScope("similarities"));
        assertThrows(IllegalArgumentException.class, () -> schema.offsetInScope("nope"));
    }

    @Test
    void aSchemaWithoutContentKeepsItsShape() {
        FeatureSchema schema = FeatureSchema.standard(8, 0, 4);
        assertEquals(1, schema.contentWidth());
        assertEquals(schema.describe().get("history_item_content"), schema.historyLength());
    }

    @Test
    void docsListEveryFamilyWithItsDefaultWidth() throws Exception {
        java.nio.file.Path doc = java.nio.file.Path.of("..", "docs", "features.md");
        String text = java.nio.file.Files.readString(doc);
        for (FeatureFamily family : FeatureSchema.standard(32, 384, 32).families()) {
            String width = String.format(java.util.Locale.ROOT, "%,d", family.width());
            String row = "| `" + family.name() + "` | " + family.scope().name().toLowerCase(java.util.Locale.ROOT) + " | " + width + " |";
            assertTrue(text.contains(row), "docs/features.md lacks the row " + row);
        }
        assertTrue(text.contains("**5,229 floats**"));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new FeatureSchema(0, 8, 4, 10, 64));
        assertThrows(IllegalArgumentException.class, () -> new FeatureSchema(8, 8, 4, 0, 64));
        assertThrows(IllegalArgumentException.class, () -> new FeatureFamily("Bad Name", FeatureScope.ITEM, 1, ""));
    }
}
