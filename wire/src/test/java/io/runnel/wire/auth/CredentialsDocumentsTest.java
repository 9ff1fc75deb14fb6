package io.runnel.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class CredentialsDocumentsTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonTopLevelScalarsOnly() {
        Map<String, String> f = CredentialsDocuments.jsonFields(utf8("{\"A\":\"x\",\"N\":3,\"B\":true,\"Z\":null,"
                + "\"O\":{\"A\":\"inner\"},\"L\":[1,{\"A\":2}],\"C\":\"y\"}"), "src");
        assertThat(f).isEqualTo(Map.of("A", "x", "N", "3", "B", "true", "C", "y"));
        assertThatThrownBy(() -> CredentialsDocuments.jsonFields(utf8("[1]"), "src"))
                .isInstanceOf(CredentialsException.class).hasMessageStartingWith("src: ");
        assertThatThrownBy(() -> CredentialsDocuments.jsonFields(utf8("{\"A\":"), "src"))
                .isInstanceOf(CredentialsException.class).hasMessageContaining("JSON");
    }

    @Test
    void isoTimesWithZoneAndFractions() {
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        assertThat(CredentialsDocuments.instant("2026-11-25T10:00:00Z", "E", "s")).isEqualTo(t);
        assertThat(CredentialsDocuments.instant("2026-11-25T11:00:00+01:00", "E", "s")).isEqualTo(t);
        assertThat(CredentialsDocuments.instant("2026-11-25T10:00:00.250Z", "E", "s"))
                .isEqualTo(t.plusMillis(250));
        assertThatThrownBy(() -> CredentialsDocuments.instant("2026-11-25 10:00", "Expiration", "s"))
                .isInstanceOf(CredentialsException.class).hasMessageContaining("Expiration")
                .hasMessageContaining("2026-11-25 10:00");
    }

    @Test
    void credentialsNeedKeyAndSecret() {
        assertThat(CredentialsDocuments.credentials(Map.of("I", "AK", "S", "SK", "T", "", "E", ""), "I", "S", "T",
                "E", "s")).isEqualTo(Credentials.of("AK", "SK"));
        assertThatThrownBy(() -> CredentialsDocuments.credentials(Map.of("S", "SK"), "I", "S", "T", "E", "s"))
                .isInstanceOf(CredentialsException.class).hasMessage("s: the answer has no I");
    }

    @Test
    void xmlNamespacesAreIgnoredWhenLookingUpElements() {
        Document d = CredentialsDocuments.xml(utf8("<R xmlns=\"urn:x\"><A><B> v </B></A></R>"), "s");
        assertThat(CredentialsDocuments.childText(d.getDocumentElement(), "B")).isEqualTo(" v ");
        assertThat(CredentialsDocuments.childText(d.getDocumentElement(), "C")).isNull();
    }

    @Test
    void xmlWithADoctypeIsRefused() {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><r>&b;</r>";
        assertThatThrownBy(() -> CredentialsDocuments.xml(utf8(laughs), "s"))
                .isInstanceOf(CredentialsException.class).hasMessageContaining("DOCTYPE");
        assertThatThrownBy(() -> CredentialsDocuments.xml(utf8("<r><unclosed></r>"), "s"))
                .isInstanceOf(CredentialsException.class).hasMessageContaining("XML");
    }
}
