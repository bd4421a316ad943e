package dev.capstan.core.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private static final ServiceRoute MLP_DEFAULT = route("default", "mlp");
  private static final ServiceRoute MLP_TEAM_A = route("team-a", "mlp");
  private static final ServiceRoute IRIS_TEAM_B = route("team-b", "iris");
  private final RouteTable table = RouteTable.of(List.of(MLP_TEAM_A, IRIS_TEAM_B, MLP_DEFAULT));

  @Test
  void aServiceIsFoundByItsKey() {
    assertEquals(Optional.of(MLP_TEAM_A), table.route(new ServiceKey("team-a", "mlp")));
    assertEquals(Optional.empty(), table.route(new ServiceKey("team-b", "mlp")));
  }

  @Test
  void byNameThePreferredNamespaceWinsAndAnotherNamespaceServesOnlyWhenItsNameIsUnique() {
    assertEquals(Optional.of(MLP_DEFAULT), table.routeByName("mlp", "default"));
    assertEquals(Optional.of(MLP_TEAM_A), table.routeByName("mlp", "team-a"));
    assertEquals(Optional.empty(), table.routeByName("mlp", "team-c"), "two namespaces hold an mlp: ambiguous");
    assertEquals(Optional.of(IRIS_TEAM_B), table.routeByName("iris", "default"));
    assertEquals(Optional.empty(), table.routeByName("resnet", "default"));
    assertEquals(Optional.empty(), RouteTable.empty().routeByName("mlp", "default"));
  }

  private static ServiceRoute route(String namespace, String name) {
    RevisionKey revision = new RevisionKey(namespace, name, name + "-predictor-00001");
    return new ServiceRoute(new ServiceKey(namespace, name), List.of(new RevisionRoute(revision, 100, List.of(), 0)));
  }
}
