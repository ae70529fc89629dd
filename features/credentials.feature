@credentials
Feature: Token credentials
  A token's secret is a working credential from its creation until its
  deletion, and is shown only once, in the answer to the create.

  @create @get @delete
  Scenario: A created token authenticates until it is deleted
    Given I am the member
    And the member has a token named "ci"
    Then the token "ci" authenticates
    When I send GET to "{user tokens of member}/{id of ci}"
    Then the response status is 200
    And the JSON at "token" is absent
    And the response body matches the schema "token.json"
    When I send DELETE to "{user tokens of member}/{id of ci}"
    Then the response status is 204
    And the response body is empty
    And the token "ci" no longer authenticates

  @list
  Scenario: Requests without a credential are refused
    Given I send no credentials
    When I send GET to "{user tokens of member}"
    Then the response is problem 3
