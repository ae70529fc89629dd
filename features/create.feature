@create
Feature: Creating a token
  POST on a user's tokens, in user or group scope, creates a token for that
  user. The answer is 201 with the token, its secret and a Location in the
  scope the token was created through. Absent metadata means no labels.

  Background:
    Given I am the member

  @create
  Scenario Outline: The documented create answers 201 with the new token
    When I send POST to "{<scope> tokens of member}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} Snapshot Script"}
      """
    Then the response status is 201
    And the response body matches the schema "created-token.json"
    And the response header "Content-Type" is "application/json"
    And the JSON at "type" is "application/astra-token"
    And the JSON at "version" is "1.0"
    And the JSON at "name" is "{run} Snapshot Script"
    And the JSON at "userID" is "{member}"
    And the JSON at "metadata.labels" equals:
      """
      []
      """
    When I save the JSON at "id" as "id"
    Then the response header "Location" matches "^https?://[^/]+{<scope> tokens of member}/{$id}$"
    When I send GET to "{<scope> tokens of member}/{$id}"
    Then the response status is 200
    And the JSON at "name" is "{run} Snapshot Script"

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @policy @create
  Scenario Outline: Labels are kept, and the server sets the timestamps and the creator
    When I send POST to "{<scope> tokens of member}" with body:
      """
      {
        "type": "application/astra-token",
        "version": "1.0",
        "name": "{run} labelled",
        "metadata": {
          "labels": [{"name": "team", "value": "qa"}, {"name": "env", "value": "ci"}],
          "creationTimestamp": "2000-01-01T00:00:00Z",
          "modificationTimestamp": "2000-01-01T00:00:00Z",
          "createdBy": "11111111-1111-4111-8111-111111111111",
          "modifiedBy": "11111111-1111-4111-8111-111111111111"
        }
      }
      """
    Then the response status is 201
    And the JSON at "metadata.labels" equals:
      """
      [{"name": "team", "value": "qa"}, {"name": "env", "value": "ci"}]
      """
    And the JSON at "metadata.createdBy" is "{member}"
    And the JSON at "metadata.creationTimestamp" is a time after "2020-01-01T00:00:00Z"
    When I save the JSON at "metadata.creationTimestamp" as "created"
    Then the JSON at "metadata.modificationTimestamp" is "{$created}"
    When I save the JSON at "id" as "id"
    And I send GET to "{<scope> tokens of member}/{$id}"
    Then the JSON at "metadata.labels" equals:
      """
      [{"name": "team", "value": "qa"}, {"name": "env", "value": "ci"}]
      """
    And the JSON at "metadata.creationTimestamp" is "{$created}"
    And the JSON at "metadata.createdBy" is "{member}"

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @create @user-scope
  Scenario: A name of 63 characters is accepted
    When I send POST to "{user tokens of member}" with a token name of 63 characters
    Then the response status is 201

  @policy @create @user-scope
  Scenario Outline: Printable names without dangerous sequences are accepted: <name>
    When I send POST to "{user tokens of member}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} <name>"}
      """
    Then the response status is 201
    And the JSON at "name" is "{run} <json>"

    Examples:
      | name               | json               |
      | ci-token_2 (prod)  | ci-token_2 (prod)  |
      | a.b/c              | a.b/c              |
      | a..b               | a..b               |
      | x - y              | x - y              |
      | 50% off, isn't it? | 50% off, isn't it? |
      | ops+alerts@corp    | ops+alerts@corp    |
      | C:\\\\temp         | C:\\temp           |
      | a/b*c              | a/b*c              |

  @policy @create @user-scope
  Scenario: The Content-Type of a create is not enforced
    Given I set the header "Content-Type" to "text/plain"
    When I send POST to "{user tokens of member}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} plain text"}
      """
    Then the response status is 201
