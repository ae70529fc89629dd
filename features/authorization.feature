@authorization
Feature: Who may manage whose tokens
  Every user may create, read, modify and delete its own tokens, viewers
  too. Admins (and owners) may also manage the tokens of the other users of
  their account; such a token still authenticates as its owner. Members and
  viewers may not touch other users' tokens, and nobody may act in another
  account: problem 11.

  @policy @create
  Scenario Outline: Creating a token for another user is refused: the <caller> for the <owner>
    Given I am the <caller>
    When I send POST to "{<scope> tokens of <owner>}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} not yours"}
      """
    Then the response is problem 11

    @user-scope
    Examples: user scope
      | scope | caller        | owner         |
      | user  | member        | second member |
      | user  | viewer        | member        |
      | user  | second member | member        |
      | user  | foreign admin | member        |

    @group-scope
    Examples: group scope
      | scope | caller        | owner  |
      | group | viewer        | member |
      | group | member        | viewer |
      | group | foreign admin | member |

  @policy @list @readonly
  Scenario Outline: Listing another user's tokens is refused: the <caller> for the <owner>
    Given I am the <caller>
    When I send GET to "{<scope> tokens of <owner>}"
    Then the response is problem 11

    @user-scope
    Examples: user scope
      | scope | caller        | owner         |
      | user  | member        | second member |
      | user  | viewer        | member        |
      | user  | second member | member        |
      | user  | foreign admin | member        |

    @group-scope
    Examples: group scope
      | scope | caller        | owner  |
      | group | viewer        | member |
      | group | member        | viewer |
      | group | second member | member |
      | group | foreign admin | member |

  @policy @get
  Scenario Outline: Reading another user's token is refused: the <caller> for the <owner>
    Given the <owner> has a token named "theirs" made through the <scope> scope
    And I am the <caller>
    When I send GET to "{<scope> tokens of <owner>}/{id of theirs}"
    Then the response is problem 11

    @user-scope
    Examples: user scope
      | scope | caller        | owner         |
      | user  | member        | second member |
      | user  | viewer        | member        |
      | user  | foreign admin | member        |

    @group-scope
    Examples: group scope
      | scope | caller        | owner  |
      | group | viewer        | member |
      | group | member        | viewer |
      | group | foreign admin | member |

  @policy @update
  Scenario Outline: Updating another user's token is refused: the <caller> for the <owner>
    Given the <owner> has a token named "theirs" made through the <scope> scope
    And I am the <caller>
    When I send PUT to "{<scope> tokens of <owner>}/{id of theirs}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} taken over"}
      """
    Then the response is problem 11
    When I am the <owner>
    And I send GET to "{<scope> tokens of <owner>}/{id of theirs}"
    Then the JSON at "name" is "{name of theirs}"

    @user-scope
    Examples: user scope
      | scope | caller        | owner         |
      | user  | member        | second member |
      | user  | viewer        | member        |
      | user  | foreign admin | member        |

    @group-scope
    Examples: group scope
      | scope | caller        | owner  |
      | group | viewer        | member |
      | group | member        | viewer |
      | group | foreign admin | member |

  @policy @delete
  Scenario Outline: Deleting another user's token is refused: the <caller> for the <owner>
    Given the <owner> has a token named "theirs" made through the <scope> scope
    And I am the <caller>
    When I send DELETE to "{<scope> tokens of <owner>}/{id of theirs}"
    Then the response is problem 11
    And the token "theirs" authenticates

    @user-scope
    Examples: user scope
      | scope | caller        | owner         |
      | user  | member        | second member |
      | user  | viewer        | member        |
      | user  | foreign admin | member        |

    @group-scope
    Examples: group scope
      | scope | caller        | owner  |
      | group | viewer        | member |
      | group | member        | viewer |
      | group | foreign admin | member |

  @policy @list @user-scope @readonly
  Scenario: A path in another account is refused
    Given I am the member
    When I send GET to "/accounts/{foreign account}/core/v1/users/{member}/tokens"
    Then the response is problem 11
    When I send GET to "/accounts/{foreign account}/core/v1/users/{foreign admin}/tokens"
    Then the response is problem 11

  @policy @create @get @update @delete
  Scenario Outline: A viewer manages its own tokens
    Given I am the viewer
    When I send POST to "{<scope> tokens of viewer}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} viewer's own"}
      """
    Then the response status is 201
    And the JSON at "userID" is "{viewer}"
    When I save the JSON at "id" as "id"
    And I send GET to "{<scope> tokens of viewer}/{$id}"
    Then the response status is 200
    When I send PUT to "{<scope> tokens of viewer}/{$id}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} viewer's own renamed"}
      """
    Then the response status is 204
    When I send DELETE to "{<scope> tokens of viewer}/{$id}"
    Then the response status is 204

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @policy @create @list @get @update @delete
  Scenario Outline: An admin manages a member's tokens
    Given I am the admin
    When I send POST to "{<scope> tokens of member}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} for the member"}
      """
    Then the response status is 201
    And the JSON at "userID" is "{member}"
    And the JSON at "metadata.createdBy" is "{admin}"
    When I save the JSON at "id" as "id"
    And I list "{<scope> tokens of member}" with:
      | filter  | id eq '{$id}' |
      | include | id,userID     |
    Then the response status is 200
    And the JSON at "items" equals:
      """
      [["{$id}", "{member}"]]
      """
    When I send PUT to "{<scope> tokens of member}/{$id}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} for the member, renamed"}
      """
    Then the response status is 204
    When I send GET to "{<scope> tokens of member}/{$id}"
    Then the response status is 200
    And the JSON at "metadata.modifiedBy" is "{admin}"
    And the JSON at "metadata.createdBy" is "{admin}"
    When I send DELETE to "{<scope> tokens of member}/{$id}"
    Then the response status is 204

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @policy @create @list @get @user-scope
  Scenario: A token an admin makes for a member authenticates as the member
    Given the admin has created a token named "delegated" for the member
    When I use the credential of token "delegated"
    And I send GET to "{user tokens of member}/{id of delegated}"
    Then the response status is 200
    And the JSON at "userID" is "{member}"
    And the JSON at "metadata.createdBy" is "{admin}"
    When I send GET to "{user tokens of admin}"
    Then the response is problem 11

  @policy @get @update @user-scope
  Scenario: A member's token made by the admin is the member's to manage
    Given the admin has created a token named "handed over" for the member
    And I am the member
    When I send PUT to "{user tokens of member}/{id of handed over}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} handed over, renamed"}
      """
    Then the response status is 204
    When I send GET to "{user tokens of member}/{id of handed over}"
    Then the JSON at "metadata.modifiedBy" is "{member}"
