@bodies
Feature: Request bodies
  A create or update body must be JSON (else problem 7), conform to the
  token schema (else problem 8, saying what failed) and pass extended
  validation of the name (else problem 9, naming the field). Bodies over
  64 KiB are refused with problem 85.

  Background:
    Given I am the member

  Scenario Outline: A body that is not JSON is refused (<method>)
    Given the member has a token named "target" made through the <scope> scope
    When I send <method> to "{<scope> tokens of member}<item>" with body:
      """
      <body>
      """
    Then the response is problem 7

    @create @user-scope
    Examples: create, user scope
      | method | scope | item | body                                |
      | POST   | user  |      | not json                            |
      | POST   | user  |      | {"type": "application/astra-token", |
      | POST   | user  |      | {'type': 'application/astra-token'} |

    @create @group-scope
    Examples: create, group scope
      | method | scope | item | body     |
      | POST   | group |      | not json |

    @update @user-scope
    Examples: update, user scope
      | method | scope | item            | body                                 |
      | PUT    | user  | /{id of target} | not json                             |
      | PUT    | user  | /{id of target} | {"type": "application/astra-token"}} |

    @update @group-scope
    Examples: update, group scope
      | method | scope | item            | body     |
      | PUT    | group | /{id of target} | not json |

  Scenario Outline: A create body that breaks the schema is refused: <case>
    When I send POST to "{<scope> tokens of member}" with body:
      """
      <body>
      """
    Then the response is problem 8
    And the problem has a schema validation failure

    @create @user-scope
    Examples: user scope
      | scope | case                 | body                                                                                                                                                         |
      | user  | no name              | {"type": "application/astra-token", "version": "1.0"}                                                                                                        |
      | user  | no type              | {"version": "1.0", "name": "{run} x"}                                                                                                                        |
      | user  | no version           | {"type": "application/astra-token", "name": "{run} x"}                                                                                                       |
      | user  | wrong type           | {"type": "application/astra-tokens", "version": "1.0", "name": "{run} x"}                                                                                    |
      | user  | wrong version        | {"type": "application/astra-token", "version": "2.0", "name": "{run} x"}                                                                                     |
      | user  | empty name           | {"type": "application/astra-token", "version": "1.0", "name": ""}                                                                                            |
      | user  | name not a string    | {"type": "application/astra-token", "version": "1.0", "name": 42}                                                                                            |
      | user  | unknown field        | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "colour": "red"}                                                                    |
      | user  | id not allowed       | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "id": "11111111-1111-4111-8111-111111111111"}                                       |
      | user  | userID not allowed   | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "userID": "{member}"}                                                               |
      | user  | token not allowed    | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "token": "QUJDRA=="}                                                                |
      | user  | label without value  | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "metadata": {"labels": [{"name": "a"}]}}                                            |
      | user  | label with extra key | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "metadata": {"labels": [{"name": "a", "value": "b", "c": "d"}]}}                    |
      | user  | label value not text | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "metadata": {"labels": [{"name": "a", "value": 1}]}}                                |
      | user  | labels repeated      | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "metadata": {"labels": [{"name": "a", "value": "b"}, {"name": "a", "value": "b"}]}} |
      | user  | unknown metadata     | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "metadata": {"colour": "red"}}                                                      |
      | user  | malformed timestamp  | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "metadata": {"creationTimestamp": "yesterday"}}                                     |
      | user  | malformed creator    | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "metadata": {"createdBy": "me"}}                                                    |
      | user  | an array             | [{"type": "application/astra-token", "version": "1.0", "name": "{run} x"}]                                                                                   |
      | user  | a string             | "{run} x"                                                                                                                                                    |

    @create @group-scope
    Examples: group scope
      | scope | case          | body                                                                                      |
      | group | no name       | {"type": "application/astra-token", "version": "1.0"}                                     |
      | group | unknown field | {"type": "application/astra-token", "version": "1.0", "name": "{run} x", "colour": "red"} |

  Scenario Outline: An update body that breaks the schema is refused: <case>
    Given the member has a token named "target" made through the <scope> scope
    When I send PUT to "{<scope> tokens of member}/{id of target}" with body:
      """
      <body>
      """
    Then the response is problem 8
    And the problem has a schema validation failure

    @update @user-scope
    Examples: user scope
      | scope | case              | body                                                                                      |
      | user  | no type           | {"version": "1.0", "name": "{run} x"}                                                     |
      | user  | no version        | {"type": "application/astra-token", "name": "{run} x"}                                    |
      | user  | wrong version     | {"type": "application/astra-token", "version": "1.1", "name": "{run} x"}                  |
      | user  | empty name        | {"type": "application/astra-token", "version": "1.0", "name": ""}                         |
      | user  | token not allowed | {"type": "application/astra-token", "version": "1.0", "token": "QUJDRA=="}                |
      | user  | unknown field     | {"type": "application/astra-token", "version": "1.0", "colour": "red"}                    |
      | user  | malformed id      | {"type": "application/astra-token", "version": "1.0", "id": "not-an-id"}                  |
      | user  | labels not a list | {"type": "application/astra-token", "version": "1.0", "metadata": {"labels": {"a": "b"}}} |

    @update @group-scope
    Examples: group scope
      | scope | case              | body                                                                       |
      | group | token not allowed | {"type": "application/astra-token", "version": "1.0", "token": "QUJDRA=="} |

  Scenario Outline: A name longer than 63 characters is refused (<method>)
    Given the member has a token named "target" made through the <scope> scope
    When I send <method> to "{<scope> tokens of member}<item>" with a token name of 64 characters
    Then the response is problem 8
    And the problem has a schema validation failure

    @create @user-scope
    Examples: create, user scope
      | method | scope | item |
      | POST   | user  |      |

    @update @group-scope
    Examples: update, group scope
      | method | scope | item            |
      | PUT    | group | /{id of target} |

  Scenario Outline: A name that fails extended validation is refused (<method>)
    Given the member has a token named "target" made through the <scope> scope
    When I send <method> to "{<scope> tokens of member}<item>" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} <script>alert(1)</script>"}
      """
    Then the response is problem 9
    And the problem names the field "name"

    @create @user-scope
    Examples: create, user scope
      | method | scope | item |
      | POST   | user  |      |

    @create @group-scope
    Examples: create, group scope
      | method | scope | item |
      | POST   | group |      |

    @update @user-scope
    Examples: update, user scope
      | method | scope | item            |
      | PUT    | user  | /{id of target} |

    @update @group-scope
    Examples: update, group scope
      | method | scope | item            |
      | PUT    | group | /{id of target} |

  @policy @create @user-scope
  Scenario Outline: Names with <what> fail extended validation
    When I send POST to "{user tokens of member}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} <name>"}
      """
    Then the response is problem 9
    And the problem names the field "name"

    Examples:
      | what                 | name                 |
      | non-ASCII letters    | café                 |
      | an emoji             | ship it 🚀            |
      | a control character  | tab\\there           |
      | a less-than sign     | a < b                |
      | a greater-than sign  | a > b                |
      | a double quote       | say \\"hi\\"         |
      | a backtick           | `id`                 |
      | directory traversal  | ../etc/passwd        |
      | Windows traversal    | ..\\\\windows        |
      | an SQL comment       | x -- y               |
      | an SQL separator     | x; DROP TABLE tokens |
      | an SQL block comment | /* x */              |
      | an SQL block end     | x */                 |

  @policy @update @user-scope
  Scenario: A refused name leaves the token as it was
    Given the member has a token named "unchanged"
    When I send PUT to "{user tokens of member}/{id of unchanged}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} ../unchanged"}
      """
    Then the response is problem 9
    When I send GET to "{user tokens of member}/{id of unchanged}"
    Then the JSON at "name" is "{name of unchanged}"

  @policy
  Scenario Outline: A body over 64 KiB is refused (<method>)
    Given the member has a token named "target" made through the <scope> scope
    When I send <method> to "{<scope> tokens of member}<item>" with a body of 70000 bytes
    Then the response is problem 85

    @create @user-scope
    Examples: create, user scope
      | method | scope | item |
      | POST   | user  |      |

    @create @group-scope
    Examples: create, group scope
      | method | scope | item |
      | POST   | group |      |

    @update @user-scope
    Examples: update, user scope
      | method | scope | item            |
      | PUT    | user  | /{id of target} |

    @update @group-scope
    Examples: update, group scope
      | method | scope | item            |
      | PUT    | group | /{id of target} |
