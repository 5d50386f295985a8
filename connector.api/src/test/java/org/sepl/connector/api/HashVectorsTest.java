package org.sepl.connector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Device and gateway hashes equal those computed by the original connector-client (hash-vectors.json). */
class HashVectorsTest {

    private static JsonObject vectors() throws Exception {
        try (Reader in = new InputStreamReader(HashVectorsTest.class.getResourceAsStream("/hash-vectors.json"),
                StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(in).getAsJsonObject();
        }
    }

    private static Device device(JsonObject v) {
        Device d = new Device(v.get("id").getAsString(), v.get("type").getAsString(), v.get("name").getAsString());
        for (JsonElement tag : v.getAsJsonArray("tags")) {
            JsonArray kv = tag.getAsJsonArray();
            d.addTag(kv.get(0).getAsString(), kv.get(1).getAsString());
        }
        return d;
    }

    @TestFactory
    Stream<DynamicTest> deviceHashesAndPutTags() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement e : vectors().getAsJsonArray("devices")) {
            JsonObject v = e.getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(v.get("desc").getAsString(), () -> {
                Device d = device(v);
                assertEquals(v.get("hash").getAsString(), d.hash());
                List<String> putTags = new ArrayList<>();
                v.getAsJsonArray("put_tags").forEach(t -> putTags.add(t.getAsString()));
                assertEquals(putTags, d.tagsAsStrings());
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> gatewayHashes() throws Exception {
        JsonObject all = vectors();
        JsonArray devices = all.getAsJsonArray("devices");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement e : all.getAsJsonArray("gateways")) {
            JsonObject g = e.getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(g.get("desc").getAsString(), () -> {
                List<Device> list = new ArrayList<>();
                g.getAsJsonArray("devices").forEach(i -> list.add(device(devices.get(i.getAsInt()).getAsJsonObject())));
                assertEquals(g.get("hash").getAsString(), Device.gatewayHash(list));
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> tagMutationsKeepInsertionOrder() {
        return Stream.of(
                DynamicTest.dynamicTest("changeTag keeps the position", () -> {
                    Device d = new Device("mut-dev", "t", "Mutated");
                    d.addTag("a", "1");
                    d.addTag("b", "2");
                    d.changeTag("a", "9");
                    assertEquals(List.of("a:9", "b:2"), d.tagsAsStrings());
                }),
                DynamicTest.dynamicTest("removeTag then addTag moves to the end", () -> {
                    Device d = new Device("mut-dev", "t", "Mutated");
                    d.addTag("a", "1");
                    d.addTag("b", "2");
                    d.removeTag("a");
                    d.addTag("a", "9");
                    assertEquals(List.of("b:2", "a:9"), d.tagsAsStrings());
                }));
    }
}
