package org.sepl.connector.karaf.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.testkit.PrometheusTextParser;

/**
 * The connector deployed in Apache Karaf 4.4 as the features README tells a user to, against the platform emulator
 * (in this JVM): the features from {@code feature:repo-add mvn:...} and {@code feature:install}, the client configured
 * by {@code etc/org.sepl.connector.client.cfg}, then the lifecycle operations a gateway owner does — installing,
 * stopping and starting the SQLite store, the Tyrus transport bundle stopping (the client moves to the JDK transport)
 * and starting again, {@code bin/stop}, starting Karaf again, and several platform accounts
 * through factory configuration files.
 * <p>
 * One Karaf for the class; the tests run in order and each starts from the state the previous one left. The
 * platform's device list is watched continuously during each operation ({@link DeviceWatch}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafDeploymentIT {

    private static final String USER = "alice";
    private static final String PASSWORD = "secret";
    private static final String OTHER_USER = "bob";
    private static final String OTHER_PASSWORD = "hunter2";
    private static final String CLIENT_CFG = "org.sepl.connector.client.cfg";
    /** The demo feature's devices (connector.demo). */
    private static final Set<String> DEMO_DEVICES = Set.of("demo-meter-1", "demo-lamp-1");
    private static final Duration TIMEOUT = Duration.ofSeconds(45);

    private PlatformEmulator platform;
    private KarafInstance karaf;
    private String gatewayId;

    @BeforeAll
    void startPlatformAndKaraf() throws Exception {
        platform = PlatformEmulator.builder().host("127.0.0.1").port(0).user(USER, PASSWORD)
                .user(OTHER_USER, OTHER_PASSWORD).start();
        karaf = KarafInstance.create("deployment");
        karaf.writeEtc(CLIENT_CFG, clientConfiguration(USER, PASSWORD));
        karaf.start();
        String version = System.getProperty("sepl.version");
        karaf.client("feature:repo-add mvn:org.sepl.connector/connector.features/" + version + "/xml/features",
                "feature:install sepl-connector sepl-connector-shell sepl-connector-demo sepl-connector-monitoring "
                        + "sepl-connector-health");
    }

    @AfterAll
    void stopKarafAndPlatform() {
        if (karaf != null) {
            karaf.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void theFeaturesConnectAndSynchroniseTheDemoDevices() throws Exception {
        Client client = await("a READY client in sepl:status").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> single(clients()), c -> c != null && c.state().equals("READY"));
        gatewayId = client.gatewayId();
        await("the demo devices on the platform's gateway " + gatewayId).atMost(TIMEOUT)
                .until(() -> DeviceWatch.devicesOf(platform, gatewayId), d -> d.equals(DEMO_DEVICES));
        assertEquals(USER, platform.gateway(gatewayId).orElseThrow().user());
        String answer = karaf.client("echo (sepl:event demo-meter-1 reading '{\"energy_kwh\":1.5}')");
        assertTrue(answer.contains("Acknowledged: 200"), answer);
    }

    @Test
    @Order(2)
    void theClientShowsInKarafsJmxAndHasAHealthCheck() throws Exception {
        try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(karaf.jmxUrl()),
                Map.of(JMXConnector.CREDENTIALS, new String[] { "karaf", "karaf" }))) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            ObjectName client = new ObjectName("org.sepl.connector:type=ConnectorClient,"
                    + "name=\"org.sepl.connector.client\"");
            await("the client's MBean in Karaf's JMX").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> server.getAttribute(client, "State"), "READY"::equals);
            assertEquals(gatewayId, server.getAttribute(client, "GatewayId"));
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(client).getAttributes()) {
                String value = String.valueOf(server.getAttribute(client, attribute.getName()));
                assertFalse(value.contains(PASSWORD), attribute.getName() + " shows the password: " + value);
            }
        }
        String checks = karaf.client("service:list org.apache.felix.hc.api.HealthCheck");
        assertTrue(checks.contains("hc.name = SEPL connector client org.sepl.connector.client"), checks);
        assertTrue(checks.contains("sepl-connector"), checks);
    }

    @Test
    @Order(3)
    void thePrometheusServletServesOnKarafsHttpWhiteboard() throws Exception {
        int port = KarafInstance.freePort();
        karaf.writeEtc("org.ops4j.pax.web.cfg", "org.osgi.service.http.port = " + port + "\n"
                + "org.ops4j.pax.web.listening.addresses = 127.0.0.1\n");
        karaf.writeEtc("org.sepl.connector.metrics.whiteboard.cfg", "");
        karaf.client("feature:install http-whiteboard");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> page = await("the metrics on Karaf's HTTP Whiteboard").atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> http.send(scrape, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", page.headers().firstValue("Content-Type")
                .orElseThrow());
        Map<String, PrometheusTextParser.Family> metrics = PrometheusTextParser.parse(page.body());
        assertEquals(1.0, metrics.get("sepl_connector_ready").sample("client", "org.sepl.connector.client")
                .orElseThrow().value(), page.body());
        assertFalse(page.body().contains(PASSWORD), page.body());
    }

    @Test
    @Order(4)
    void installingTheSqliteStoreKeepsThePlatformsDevices() throws Exception {
        List<Set<String>> vanished;
        try (DeviceWatch watch = DeviceWatch.start(platform, gatewayId(), DEMO_DEVICES)) {
            karaf.client("feature:install sepl-connector-sqlite");
            awaitReadyWithDevices(DEMO_DEVICES);
            vanished = watch.stop();
        }
        assertEquals(List.of(), vanished, "device lists seen on the platform that lacked a device");
        assertEquals(DEMO_DEVICES, DeviceWatch.devicesOf(platform, gatewayId()));
        assertEventsAccepted();
    }

    @Test
    @Order(5)
    void stoppingAndStartingTheSqliteStoreKeepsThePlatformsDevices() throws Exception {
        List<Set<String>> vanished;
        try (DeviceWatch watch = DeviceWatch.start(platform, gatewayId(), DEMO_DEVICES)) {
            karaf.client("bundle:stop connector.store.sqlite");
            awaitReadyWithDevices(DEMO_DEVICES);
            karaf.client("bundle:start connector.store.sqlite");
            awaitReadyWithDevices(DEMO_DEVICES);
            vanished = watch.stop();
        }
        assertEquals(List.of(), vanished, "device lists seen on the platform that lacked a device");
        assertEquals(DEMO_DEVICES, DeviceWatch.devicesOf(platform, gatewayId()));
        assertEventsAccepted();
    }

    @Test
    @Order(6)
    void theTransportBundleStoppingMovesTheClientToTheJdkTransportAndBack() throws Exception {
        karaf.client("feature:install sepl-connector-transport-jdk");
        long clears = platform.requestCount("clear");
        List<Set<String>> vanished;
        try (DeviceWatch watch = DeviceWatch.start(platform, gatewayId(), DEMO_DEVICES)) {
            long handshakes = platform.requestCount("handshake");
            karaf.client("bundle:stop connector.transport.tyrus");
            await("reconnected over the JDK transport").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> platform.requestCount("handshake") > handshakes && isReady());
            assertEventsAccepted();
            long again = platform.requestCount("handshake");
            karaf.client("bundle:start connector.transport.tyrus");
            await("back on Tyrus, the higher-ranked transport").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> platform.requestCount("handshake") > again && isReady());
            vanished = watch.stop();
        }
        assertEquals(List.of(), vanished, "device lists seen on the platform that lacked a device");
        assertEquals(clears, platform.requestCount("clear"), "clear requests: the lists agreed at every reconnect");
        assertEquals(DEMO_DEVICES, DeviceWatch.devicesOf(platform, gatewayId()));
        assertEventsAccepted();
    }

    @Test
    @Order(7)
    void stoppingKarafLeavesThePlatformsDevicesUnchanged() throws Exception {
        PlatformEmulator.Gateway before = platform.gateway(gatewayId()).orElseThrow();
        long clears = platform.requestCount("clear");
        long deletes = platform.requestCount("delete");
        List<Set<String>> vanished;
        try (DeviceWatch watch = DeviceWatch.start(platform, gatewayId(), DEMO_DEVICES)) {
            karaf.stop();
            await("the gateway's connection closed").atMost(TIMEOUT).until(() -> platform.openSessions() == 0);
            vanished = watch.stop();
        }
        assertEquals(List.of(), vanished, "device lists seen on the platform that lacked a device");
        PlatformEmulator.Gateway after = platform.gateway(gatewayId()).orElseThrow();
        assertEquals(uris(before), uris(after), "devices");
        assertEquals(before.hash(), after.hash(), "the committed hash");
        assertEquals(clears, platform.requestCount("clear"), "clear requests during the stop");
        assertEquals(deletes, platform.requestCount("delete"), "delete requests during the stop");
    }

    @Test
    @Order(8)
    void restartingKarafKeepsTheGatewayIdAndNeedsNoResynchronisation() throws Exception {
        if (karaf.isRunning()) {
            karaf.stop();
        }
        long clears = platform.requestCount("clear");
        long handshakes = platform.requestCount("handshake");
        int gateways = platform.gateways().size();
        List<Set<String>> vanished;
        try (DeviceWatch watch = DeviceWatch.start(platform, gatewayId(), DEMO_DEVICES)) {
            karaf.start();
            Client client = await("a READY client after the restart").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> single(clients()), c -> c != null && c.state().equals("READY"));
            assertEquals(gatewayId(), client.gatewayId(), "gateway id after the restart");
            vanished = watch.stop();
        }
        assertTrue(platform.requestCount("handshake") > handshakes, "the client connected again");
        assertEquals(gateways, platform.gateways().size(), "gateways on the platform (no new one)");
        assertEquals(clears, platform.requestCount("clear"), "clear requests: a re-synchronisation after the restart");
        assertEquals(List.of(), vanished, "device lists seen on the platform that lacked a device");
        assertEquals(DEMO_DEVICES, DeviceWatch.devicesOf(platform, gatewayId()));
    }

    @Test
    @Order(9)
    void twoFactoryConfigurationFilesGiveTwoConnectedGateways() throws Exception {
        if (!karaf.isRunning()) {
            karaf.start();
        }
        // Config Admin refuses factory configurations beside a singleton of the same PID: remove it first.
        karaf.deleteEtc(CLIENT_CFG);
        await("the singleton's client gone").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> clients().isEmpty());
        karaf.writeEtc("org.sepl.connector.client-home.cfg", clientConfiguration(USER, PASSWORD));
        karaf.writeEtc("org.sepl.connector.client-lab.cfg", clientConfiguration(OTHER_USER, OTHER_PASSWORD));

        List<Client> clients = await("two READY clients").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(this::clients, c -> c.size() == 2 && c.stream().allMatch(x -> x.state().equals("READY")));

        assertEquals(Set.of(USER, OTHER_USER), clients.stream().map(Client::user).collect(Collectors.toSet()));
        for (Client client : clients) {
            assertEquals(client.user(), platform.gateway(client.gatewayId()).orElseThrow().user(),
                    "the account of gateway " + client.gatewayId());
            await("the devices on the gateway of " + client.user()).atMost(TIMEOUT)
                    .until(() -> DeviceWatch.devicesOf(platform, client.gatewayId()), d -> d.equals(DEMO_DEVICES));
        }
        assertEquals(2, platform.openSessions(), "connections to the platform");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private String clientConfiguration(String user, String password) {
        return String.join("\n", "host=127.0.0.1", "port=" + platform.port(), "user=" + user, ".password=" + password,
                "reconnectInitialDelayMillis=100", "reconnectMaxDelayMillis=1000", "");
    }

    private String gatewayId() {
        if (gatewayId == null) {
            throw new IllegalStateException("no gateway id: the first test did not connect");
        }
        return gatewayId;
    }

    private void awaitReadyWithDevices(Set<String> devices) {
        await("a READY client whose device manager holds " + devices).atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Client client = single(clients());
                    return client != null && client.state().equals("READY") && deviceIds().equals(devices);
                });
    }

    /** The demo meter's next event is accepted: the platform still listens to the gateway's devices. */
    private void assertEventsAccepted() throws IOException, InterruptedException {
        String answer = karaf.client("echo (sepl:event demo-meter-1 reading '{\"energy_kwh\":2.5}')");
        assertTrue(answer.contains("Acknowledged: 200"), answer);
    }

    /** One client of {@code sepl:status}, as it prints it. */
    record Client(String pid, String user, String state, String gatewayId) {
    }

    private static final Pattern CLIENT = Pattern.compile("^Client (\\S+) \\(([^@]*)@", Pattern.MULTILINE);
    private static final Pattern STATE = Pattern.compile("^\\s+state:\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern GATEWAY = Pattern.compile("^\\s+gateway id:\\s+(\\S+)", Pattern.MULTILINE);

    /** The clients {@code sepl:status} shows. */
    private List<Client> clients() throws IOException, InterruptedException {
        String status = karaf.client("echo (sepl:status)");
        List<Client> clients = new ArrayList<>();
        for (String block : status.split("(?m)^(?=Client )")) {
            Matcher client = CLIENT.matcher(block);
            Matcher state = STATE.matcher(block);
            Matcher gateway = GATEWAY.matcher(block);
            if (client.find() && state.find() && gateway.find()) {
                clients.add(new Client(client.group(1), client.group(2), state.group(1), gateway.group(1)));
            }
        }
        return clients;
    }

    /** The ids {@code sepl:devices} lists (the device manager in use). */
    private Set<String> deviceIds() throws IOException, InterruptedException {
        String table = karaf.client("echo (sepl:devices)");
        return table.lines().skip(0).map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("ID "))
                .filter(l -> !l.startsWith("No ")).map(l -> l.split("\\s+")[0]).collect(Collectors.toSet());
    }

    private boolean isReady() throws IOException, InterruptedException {
        Client c = single(clients());
        return c != null && c.state().equals("READY");
    }

    private static Client single(List<Client> clients) {
        return clients.size() == 1 ? clients.get(0) : null;
    }

    private static Set<String> uris(PlatformEmulator.Gateway gateway) {
        return gateway.devices().stream().map(PlatformEmulator.Device::uri).collect(Collectors.toSet());
    }
}
