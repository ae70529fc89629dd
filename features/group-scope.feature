@group
Feature: Group scope is a second view of a user's tokens
  The group-scoped operations address the same tokens as the user-scoped
  ones, for users that are members of the group: a token made through one
  scope is seen, changed and deleted through the other.

  Background:
    Given I am the member

  @policy @create @list @get @user-scope @group-scope
  Scenario: A token made through the group is seen through the user scope
    When I send POST to "{group tokens of member}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} via group"}
      """
    Then the response status is 201
    When I save the JSON at "id" as "id"
    Then the response header "Location" matches "{group tokens of member}/{$id}$"
    When I send GET to "{user tokens of member}/{$id}"
    Then the response status is 200
    And the JSON at "name" is "{run} via group"
    When I list the member's tokens with:
      | filter  | id eq '{$id}' |
      | include | name          |
    Then the JSON at "items" equals:
      """
      [["{run} via group"]]
      """

  @policy @list @get @update @delete @user-scope @group-scope
  Scenario: A token made through the user scope is seen, changed and deleted through the group
    Given the member has a token named "via user"
    When I send GET to "{group tokens of member}/{id of via user}"
    Then the response status is 200
    And the JSON at "name" is "{name of via user}"
    When I list the member's tokens through the group scope with:
      | filter | id eq '{id of via user}' |
    Then the items are the tokens "via user"
    When I send PUT to "{group tokens of member}/{id of via user}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} via user, renamed in the group"}
      """
    Then the response status is 204
    When I send GET to "{user tokens of member}/{id of via user}"
    Then the JSON at "name" is "{run} via user, renamed in the group"
    When I send DELETE to "{group tokens of member}/{id of via user}"
    Then the response status is 204
    When I send GET to "{user tokens of member}/{id of via user}"
    Then the response is problem 2

  @policy @get @group-scope
  Scenario: The ETag is the same in both scopes
    Given the member has a token named "both"
    When I send GET to "{user tokens of member}/{id of both}"
    And I save the response header "ETag" as "etag"
    And I send GET to "{group tokens of member}/{id of both}"
    Then the response header "ETag" is "{$etag}"

  @policy @group-scope
  Scenario Outline: A user outside the group has no tokens in it (<operation>)
    Given the second member has a token named "outsider"
    And I am the second member
    When I send <method> to "{group tokens of second member}<item>"
    Then the response is problem <problem>

    @list
    Examples: list
      | operation | method | item | problem |
      | list      | GET    |      | 2       |

    @get
    Examples: get
      | operation | method | item              | problem |
      | get       | GET    | /{id of outsider} | 2       |

    @delete
    Examples: delete
      | operation | method | item              | problem |
      | delete    | DELETE | /{id of outsider} | 1       |

  @policy @group-scope
  Scenario Outline: A user outside the group cannot create or update through it (<method>)
    Given the second member has a token named "outsider"
    And I am the second member
    When I send <method> to "{group tokens of second member}<item>" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} outsider"}
      """
    Then the response is problem <problem>

    @create
    Examples: create
      | method | item | problem |
      | POST   |      | 2       |

    @update
    Examples: update
      | method | item              | problem |
      | PUT    | /{id of outsider} | 1       |

  @policy @list @group-scope @readonly
  Scenario: An admin cannot reach a user through a group the user is not in
    Given I am the admin
    When I send GET to "{group tokens of second member}"
    Then the response is problem 2
