@admin @mock-only
Feature: The mock's admin API
  The mock records what clients send and can be told to misbehave, so that
  client teams can assert on their requests and exercise their retry logic.
  These scenarios run against the mock only; each one touches only paths of
  tokens it made itself, so they can run beside the others.

  Background:
    Given I am the member
    And the member has a token named "watched"

  Scenario: The admin API reports its health
    When I send GET to "/__admin/health"
    Then the response status is 200
    And the JSON at "status" is "ok"

  Scenario: The journal records a request, credentials redacted
    When I send GET to "{user tokens of member}/{id of watched}"
    Then the response status is 200
    When I send GET to "/__admin/requests?method=GET&path={id of watched}$"
    Then the response status is 200
    And the JSON at "requests" has 1 item
    And the JSON at "requests[0].status" is 200
    And the JSON at "requests[0].path" is "{user tokens of member}/{id of watched}"
    And the JSON at "requests[0].requestHeaders.Authorization[0]" is "Bearer [REDACTED]"

  Scenario: The secret of a create never reaches the journal
    When I send GET to "/__admin/requests?method=POST&status=201"
    Then the response status is 200
    And the response body contains "{id of watched}"
    And the response body does not contain "{secret of watched}"

  Scenario: An injected fault answers once, then the mock is itself again
    When I send POST to "/__admin/faults" with body:
      """
      {"method": "GET", "path": "/tokens/{id of watched}$", "times": 1, "status": 401}
      """
    Then the response status is 201
    And I save the JSON at "id" as "rule"
    When I send GET to "{user tokens of member}/{id of watched}"
    Then the response is problem 4
    And the response header "X-Mock-Fault" is "{$rule}"
    When I send GET to "{user tokens of member}/{id of watched}"
    Then the response status is 200

  Scenario: A fault rule can be listed and removed
    When I send POST to "/__admin/faults" with body:
      """
      {"method": "DELETE", "path": "/tokens/{id of watched}$", "status": 404}
      """
    Then the response status is 201
    And I save the JSON at "id" as "rule"
    When I send DELETE to "/__admin/faults/{$rule}"
    Then the response status is 204
    When I send DELETE to "/__admin/faults/{$rule}"
    Then the response status is 404

  Scenario: A bad fault rule is refused and names the field
    When I send POST to "/__admin/faults" with body:
      """
      {"path": "/tokens/{id of watched}$", "status": 503, "drop": true}
      """
    Then the response status is 400
    And the response header "Content-Type" is "application/problem+json"
