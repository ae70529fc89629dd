@delete
Feature: Deleting a token
  DELETE on a token, in user or group scope, removes it: 204 without a body,
  and the token is gone from every view.

  Background:
    Given I am the member

  @delete
  Scenario Outline: A deleted token is gone
    Given the member has a token named "doomed" made through the <scope> scope
    When I send DELETE to "{<scope> tokens of member}/{id of doomed}"
    Then the response status is 204
    And the response body is empty
    When I send GET to "{<scope> tokens of member}/{id of doomed}"
    Then the response is problem 2
    When I list "{<scope> tokens of member}" with:
      | filter | id eq '{id of doomed}' |
    Then the response status is 200
    And the items are the tokens ""
    When I send DELETE to "{<scope> tokens of member}/{id of doomed}"
    Then the response is problem 1

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @delete @user-scope
  Scenario: Deleting one token leaves the user's other tokens alone
    Given the member has a token named "del-gone"
    And the member has a token named "del-kept"
    When I send DELETE to "{user tokens of member}/{id of del-gone}"
    Then the response status is 204
    When I list the member's tokens with:
      | filter | name in '{run} del-' |
    Then the items are the tokens "del-kept"

  @policy @delete @user-scope
  Scenario: A body sent with DELETE is ignored
    Given the member has a token named "with-body"
    When I send DELETE to "{user tokens of member}/{id of with-body}" with body:
      """
      {}
      """
    Then the response status is 204
