@list
Feature: Listing tokens
  GET on a user's tokens, in user or group scope, lists that user's tokens
  as token objects without their secrets.

  Background:
    Given I am the member

  @list
  Scenario Outline: The list holds the user's tokens, never their secrets
    Given the member has a token named "listed-<scope>" made through the <scope> scope
    When I list "{<scope> tokens of member}" with:
      | filter | name eq '{run} listed-<scope>' |
    Then the response status is 200
    And the response body matches the schema "token-list.json"
    And the response header "Content-Type" is "application/json"
    And the JSON at "type" is "application/astra-tokens"
    And the JSON at "version" is "1.0"
    And the items are the tokens "listed-<scope>"
    And the JSON at "items[0].name" is "{name of listed-<scope>}"
    And the JSON at "items[0].userID" is "{member}"
    And the JSON at "items[0].token" is absent

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @list @user-scope
  Scenario: A user's list holds only that user's tokens
    Given the member has a token named "mine"
    And the second member has a token named "theirs"
    When I list the member's tokens with:
      | filter | name in '{run} ' |
    Then the response status is 200
    And the items include the token "mine"
    And the items do not include the token "theirs"

  @mock-only @policy @list @user-scope @readonly
  Scenario: The documented example lists the member's tokens as id and name
    When I send GET to "{user tokens of member}?include=id,name"
    Then the response status is 200
    And the response body matches the schema "token-list.json"
    And the JSON at "items[0]" equals:
      """
      ["{fixture id of Snapshot Script}", "Snapshot Script"]
      """
    And the JSON at "items[1]" equals:
      """
      ["{fixture id of Snapshot Taker}", "Snapshot Taker"]
      """
    And the JSON at "items[2]" equals:
      """
      ["{fixture id of Volume Checker}", "Volume Checker"]
      """

  @mock-only @list @user-scope @readonly
  Scenario: A token of the fixtures is listed with every field
    When I list the member's tokens with:
      | filter | name eq 'Snapshot Script' |
    Then the response status is 200
    And the JSON at "items" equals:
      """
      [{
        "type": "application/astra-token",
        "version": "1.0",
        "id": "{fixture id of Snapshot Script}",
        "name": "Snapshot Script",
        "userID": "{member}",
        "metadata": {
          "labels": [],
          "creationTimestamp": "2022-10-06T20:58:17.305662Z",
          "modificationTimestamp": "2022-10-06T20:58:17.305662Z",
          "createdBy": "{admin}"
        }
      }]
      """
