@credentials
Feature: Token credentials
  A token's secret is shown once, in the answer to the create, and is a
  bearer credential of the token's user until the token is deleted: then it
  stops authenticating at once and for good.

  Background:
    Given I am the member

  @create @list @get @user-scope
  Scenario: The secret is shown only in the answer to the create
    When I send POST to "{user tokens of member}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} shown once"}
      """
    Then the response status is 201
    And the response body matches the schema "created-token.json"
    And the JSON at "token" is present
    When I save the JSON at "id" as "id"
    And I send GET to "{user tokens of member}/{$id}"
    Then the response status is 200
    And the JSON at "token" is absent
    When I list the member's tokens with:
      | filter | id eq '{$id}' |
    Then the response status is 200
    And the JSON at "items" has 1 item
    And the JSON at "items[0].token" is absent

  @policy @create @get
  Scenario Outline: A new secret authenticates at once as the token's user
    Given the member has a token named "fresh" made through the <scope> scope
    Then the token "fresh" authenticates
    When I use the credential of token "fresh"
    And I send GET to "{<scope> tokens of member}/{id of fresh}"
    Then the response status is 200
    And the JSON at "userID" is "{member}"

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @delete
  Scenario Outline: Deleting a token revokes its secret
    Given the member has a token named "revoked" made through the <scope> scope
    When I send DELETE to "{<scope> tokens of member}/{id of revoked}"
    Then the response status is 204
    And the token "revoked" no longer authenticates

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @policy @delete @user-scope
  Scenario: A token may delete itself, and its secret is revoked by it
    Given the member has a token named "self"
    When I use the credential of token "self"
    And I send DELETE to "{user tokens of member}/{id of self}"
    Then the response status is 204
    And the token "self" no longer authenticates

  @policy @update @user-scope
  Scenario: Updating a token keeps its secret
    Given the member has a token named "kept"
    When I send PUT to "{user tokens of member}/{id of kept}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} kept renamed"}
      """
    Then the response status is 204
    And the token "kept" authenticates
