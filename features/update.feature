@update
Feature: Updating a token
  PUT on a token, in user or group scope, replaces the stored resource but
  keeps what the user may not modify: 204 without a body. Without metadata
  the labels, the creation time and the creator are kept. If-Match and
  If-Unmodified-Since make an update conditional (412 when they fail).

  Background:
    Given I am the member

  @update
  Scenario Outline: The documented update renames a token
    Given the member has a token named "old" made through the <scope> scope
    When I send PUT to "{<scope> tokens of member}/{id of old}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} New Token Name"}
      """
    Then the response status is 204
    And the response body is empty
    When I send GET to "{<scope> tokens of member}/{id of old}"
    Then the response status is 200
    And the JSON at "name" is "{run} New Token Name"
    And the JSON at "id" is "{id of old}"
    And the JSON at "userID" is "{member}"

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @update @user-scope
  Scenario: An update without metadata keeps the labels, the creation time and the creator
    Given the member has a token named "keep" with labels:
      | name | value |
      | team | qa    |
    When I send GET to "{user tokens of member}/{id of keep}"
    And I save the JSON at "metadata.creationTimestamp" as "created"
    And I send PUT to "{user tokens of member}/{id of keep}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} keep renamed"}
      """
    Then the response status is 204
    When I send GET to "{user tokens of member}/{id of keep}"
    Then the JSON at "name" is "{run} keep renamed"
    And the JSON at "metadata.labels" equals:
      """
      [{"name": "team", "value": "qa"}]
      """
    And the JSON at "metadata.creationTimestamp" is "{$created}"
    And the JSON at "metadata.createdBy" is "{member}"

  @update @user-scope
  Scenario: An update may repeat the token's own id and user
    Given the member has a token named "same"
    When I send PUT to "{user tokens of member}/{id of same}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "id": "{id of same}", "userID": "{member}", "name": "{run} same renamed"}
      """
    Then the response status is 204

  @policy @update
  Scenario Outline: An update replaces the labels; the server keeps the creation facts and records the change
    Given the member has a token named "relabel" made through the <scope> scope
    When I send GET to "{<scope> tokens of member}/{id of relabel}"
    And I save the JSON at "metadata.creationTimestamp" as "created"
    And I send PUT to "{<scope> tokens of member}/{id of relabel}" with body:
      """
      {
        "type": "application/astra-token",
        "version": "1.0",
        "metadata": {
          "labels": [{"name": "env", "value": "prod"}],
          "creationTimestamp": "2000-01-01T00:00:00Z",
          "modificationTimestamp": "2000-01-01T00:00:00Z",
          "createdBy": "11111111-1111-4111-8111-111111111111",
          "modifiedBy": "11111111-1111-4111-8111-111111111111"
        }
      }
      """
    Then the response status is 204
    When I send GET to "{<scope> tokens of member}/{id of relabel}"
    Then the JSON at "name" is "{name of relabel}"
    And the JSON at "metadata.labels" equals:
      """
      [{"name": "env", "value": "prod"}]
      """
    And the JSON at "metadata.creationTimestamp" is "{$created}"
    And the JSON at "metadata.createdBy" is "{member}"
    And the JSON at "metadata.modifiedBy" is "{member}"
    And the JSON at "metadata.modificationTimestamp" is a time after "{$created}"

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @policy @update @user-scope
  Scenario: Empty labels remove every label
    Given the member has a token named "unlabel" with labels:
      | name | value |
      | team | qa    |
    When I send PUT to "{user tokens of member}/{id of unlabel}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "metadata": {"labels": []}}
      """
    Then the response status is 204
    When I send GET to "{user tokens of member}/{id of unlabel}"
    Then the JSON at "metadata.labels" equals:
      """
      []
      """

  @policy @update
  Scenario Outline: An update whose <field> conflicts with the stored token is refused
    Given the member has a token named "conflict" made through the <scope> scope
    When I send PUT to "{<scope> tokens of member}/{id of conflict}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "<field>": "<value>", "name": "{run} conflict renamed"}
      """
    Then the response is problem 10
    And the problem names the field "<field>"
    When I send GET to "{<scope> tokens of member}/{id of conflict}"
    Then the JSON at "name" is "{name of conflict}"

    @user-scope
    Examples: user scope
      | scope | field  | value                                |
      | user  | id     | 11111111-1111-4111-8111-111111111111 |
      | user  | userID | {second member}                      |

    @group-scope
    Examples: group scope
      | scope | field  | value                                |
      | group | id     | 11111111-1111-4111-8111-111111111111 |
      | group | userID | {viewer}                             |

  @update
  Scenario Outline: An update must match the current ETag
    Given the member has a token named "etag" made through the <scope> scope
    When I send GET to "{<scope> tokens of member}/{id of etag}"
    And I save the response header "ETag" as "etag"
    And I set the header "If-Match" to "{$etag}"
    And I send PUT to "{<scope> tokens of member}/{id of etag}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} etag first"}
      """
    Then the response status is 204
    When I send PUT to "{<scope> tokens of member}/{id of etag}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} etag second"}
      """
    Then the response is problem 38

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @update @user-scope
  Scenario: An update refused by If-Match changes nothing
    Given the member has a token named "stale"
    When I send GET to "{user tokens of member}/{id of stale}"
    And I save the response header "ETag" as "etag"
    And I send PUT to "{user tokens of member}/{id of stale}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} stale moved on"}
      """
    Then the response status is 204
    When I set the header "If-Match" to "{$etag}"
    And I send PUT to "{user tokens of member}/{id of stale}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} stale overwritten"}
      """
    Then the response is problem 38
    When I set the header "If-Match" to "*"
    And I send GET to "{user tokens of member}/{id of stale}"
    Then the JSON at "name" is "{run} stale moved on"

  @update @user-scope
  Scenario: An update with If-Unmodified-Since before the last change is refused
    Given the member has a token named "unmodified"
    And I set the header "If-Unmodified-Since" to "Sat, 01 Jan 2000 00:00:00 GMT"
    When I send PUT to "{user tokens of member}/{id of unmodified}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} unmodified renamed"}
      """
    Then the response is problem 38
